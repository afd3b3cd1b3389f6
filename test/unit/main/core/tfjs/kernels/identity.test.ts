import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { randomValues, wasmVersusCpu } from '../../../../../helpers/compare-backends'

describe('Identity and same-dtype Cast on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it('give the same values as cpu, gradients included', async () => {
    const vals = randomValues(4 * 6 * 6 * 3, 61)
    const err = await wasmVersusCpu(() => {
      const x = tf.tensor4d(vals, [4, 6, 6, 3])
      const f = (a: tf.Tensor): tf.Tensor => tf.mul(tf.cast(tf.clone(a), 'float32'), a)
      return [f(x), tf.grad(f)(x), tf.cast(tf.cast(x, 'int32'), 'float32')]
    })
    expect(err).toBeLessThan(1e-4)
  })

  it('keep a clone readable after its source is disposed, and free memory only when both are gone', async () => {
    await tf.setBackend('wasm')
    const before = tf.memory().numBytes
    const x = tf.tensor1d([1, 2, 3])
    const y = tf.clone(x)
    const z = tf.cast(x, 'float32')
    x.dispose()
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3])
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3])
    y.dispose()
    z.dispose()
    expect(tf.memory().numBytes).toBe(before)
  })
})
