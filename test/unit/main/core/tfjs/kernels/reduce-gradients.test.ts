import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { randomValues, wasmVersusCpu } from '../../../../../helpers/compare-backends'

interface Case {
  shape: number[]
  axis: number[]
  keepDims: boolean
}

const CASES: Case[] = [
  { shape: [64, 28, 28, 32], axis: [0, 1, 2], keepDims: false },
  { shape: [5, 7, 3, 6], axis: [0, 1, 2], keepDims: true },
  { shape: [17, 512], axis: [0], keepDims: false },
  { shape: [4, 9, 5], axis: [1, 0], keepDims: true },
  // Not a leading-axes reduction: core's gradient.
  { shape: [4, 6, 5], axis: [1], keepDims: false },
  { shape: [3, 4, 5, 2], axis: [1, 2, 3], keepDims: false }
]

describe('Sum and Mean gradients on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each(CASES)('match cpu for %o', async (c) => {
    const xVals = randomValues(
      c.shape.reduce((a, b) => a * b, 1),
      81
    )
    const err = await wasmVersusCpu(() => {
      const x = tf.tensor(xVals, c.shape)
      const w = tf.tensor(randomValues(tf.sum(x, c.axis, c.keepDims).size, 82), tf.sum(x, c.axis, c.keepDims).shape)
      // Weighted so every reduced value gets its own gradient; squares make Mean's and Sum's paths meet in dx.
      const f = (a: tf.Tensor): tf.Scalar =>
        tf.add(tf.sum(tf.mul(tf.sum(a, c.axis, c.keepDims), w)), tf.sum(tf.mul(tf.square(tf.mean(a, c.axis, c.keepDims)), w)))
      return [f(x), tf.grad(f)(x)]
    })
    expect(err).toBeLessThan(1e-4)
  })
})
