import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { randomValues, wasmVersusCpu } from '../../../../../helpers/compare-backends'

interface Case {
  shape: number[]
  scale: boolean
  offset: boolean
}

const CASES: Case[] = [
  { shape: [64, 28, 28, 32], scale: true, offset: true },
  { shape: [3, 7, 5, 6], scale: true, offset: false },
  { shape: [2, 9, 4, 3], scale: false, offset: true },
  { shape: [17, 512], scale: true, offset: true },
  { shape: [5, 11], scale: false, offset: false }
]

describe('FusedBatchNorm on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each(CASES)('matches cpu for %o', async (c) => {
    const channels = c.shape[c.shape.length - 1]
    const xVals = randomValues(
      c.shape.reduce((p, q) => p * q, 1),
      51
    )
    const err = await wasmVersusCpu(() => {
      const x = tf.tensor(xVals, c.shape)
      const mean = tf.tensor1d(randomValues(channels, 52))
      const variance = tf.tensor1d(randomValues(channels, 53).map((v) => v + 1.5))
      const offset = c.offset ? tf.tensor1d(randomValues(channels, 54)) : undefined
      const scale = c.scale ? tf.tensor1d(randomValues(channels, 55).map((v) => 1 + v / 2)) : undefined
      return [tf.batchNorm(x, mean, variance, offset, scale, 1e-3)]
    })
    expect(err).toBeLessThan(1e-4)
  })

  it('keeps broadcast (non-per-channel) parameters on the stock kernel and correct', async () => {
    const shape = [2, 3, 4]
    const xVals = randomValues(24, 56)
    const err = await wasmVersusCpu(() => {
      const x = tf.tensor(xVals, shape)
      const mean = tf.tensor(randomValues(12, 57), [3, 4])
      const variance = tf.tensor(
        randomValues(12, 58).map((v) => v + 1.5),
        [3, 4]
      )
      return [tf.batchNorm(x, mean, variance)]
    })
    expect(err).toBeLessThan(1e-4)
  })
})
