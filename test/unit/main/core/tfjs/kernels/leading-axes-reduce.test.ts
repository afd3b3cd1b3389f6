import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { randomValues, wasmVersusCpu } from '../../../../../helpers/compare-backends'

const CASES: { shape: number[]; axis: number[]; keepDims: boolean }[] = [
  { shape: [64, 28, 28, 32], axis: [0, 1, 2], keepDims: false },
  { shape: [5, 7, 3, 6], axis: [2, 0, 1], keepDims: true },
  { shape: [9, 1, 1, 4], axis: [0, 1, 2], keepDims: false },
  { shape: [64, 512], axis: [0], keepDims: false },
  { shape: [4, 6, 8], axis: [0, 1], keepDims: true },
  // Not leading axes: the stock kernels answer these.
  { shape: [4, 6, 8], axis: [1, 2], keepDims: false },
  { shape: [4, 6, 8], axis: [0, 1, 2], keepDims: false }
]

describe('Sum and Mean over leading axes on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each(CASES)('match cpu for %o', async ({ shape, axis, keepDims }) => {
    const vals = randomValues(
      shape.reduce((a, b) => a * b),
      31
    )
    const err = await wasmVersusCpu(() => {
      const x = tf.tensor(vals, shape)
      return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims), tf.moments(x, axis, keepDims).variance]
    })
    expect(err).toBeLessThan(1e-4)
  })
})
