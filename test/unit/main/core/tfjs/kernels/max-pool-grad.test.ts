import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { randomValues, wasmVersusCpu } from '../../../../../helpers/compare-backends'

const CASES: { shape: [number, number, number, number]; size: number; stride: number; pad: 'valid' | 'same' }[] = [
  { shape: [8, 26, 26, 16], size: 2, stride: 2, pad: 'valid' },
  { shape: [4, 11, 11, 8], size: 2, stride: 2, pad: 'valid' },
  { shape: [3, 14, 14, 5], size: 2, stride: 2, pad: 'same' },
  { shape: [2, 9, 10, 3], size: 3, stride: 3, pad: 'valid' },
  { shape: [2, 7, 7, 4], size: 2, stride: 2, pad: 'same' },
  { shape: [2, 8, 7, 4], size: 3, stride: 3, pad: 'same' },
  // Overlapping windows: the stock kernel answers these.
  { shape: [2, 9, 9, 3], size: 3, stride: 2, pad: 'valid' }
]

function poolGrads(vals: Float32Array, c: (typeof CASES)[number], dyVals: (size: number) => Float32Array): tf.Tensor[] {
  const x = tf.tensor4d(vals, c.shape)
  const y = tf.maxPool(x, c.size, c.stride, c.pad)
  const dy = tf.tensor4d(dyVals(y.size), y.shape)
  const [dx] = tf.grads((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, c.size, c.stride, c.pad))([x], dy)
  return [y, dx]
}

describe('MaxPoolGrad on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each(CASES)('matches cpu for %o', async (c) => {
    const vals = randomValues(
      c.shape.reduce((a, b) => a * b),
      51
    )
    const err = await wasmVersusCpu(() => poolGrads(vals, c, (n) => randomValues(n, 52)))
    expect(err).toBeLessThan(1e-4)
  })

  it('sends each window gradient to its first maximum when values tie (ReLU zeros)', async () => {
    const c = CASES[0]
    // Quantised values with many exact ties, including whole windows of zeros.
    const vals = randomValues(
      c.shape.reduce((a, b) => a * b),
      53
    ).map((v) => Math.max(0, Math.round(v * 2)))
    const err = await wasmVersusCpu(() => poolGrads(vals, c, (n) => randomValues(n, 54)))
    expect(err).toBeLessThan(1e-4)
  })
})
