import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { randomValues, wasmVersusCpu } from '../../../../../helpers/compare-backends'

/** Batch normalisation as Keras trains it: moments of the batch, then the fused normalisation. */
function trainingBatchNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i)
  const { mean, variance } = tf.moments(x, axes)
  return tf.batchNorm(x, mean, variance, beta, gamma, 1e-3)
}

/** The same normalisation from primitive ops, so its gradient comes from autodiff, not the FusedBatchNorm gradient. */
function primitiveBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, mean?: tf.Tensor, variance?: tf.Tensor): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i)
  const m = mean ?? tf.mean(x, axes)
  const v = variance ?? tf.mean(tf.square(tf.sub(x, m)), axes)
  return tf.add(tf.mul(tf.mul(tf.sub(x, m), tf.rsqrt(tf.add(v, 1e-3))), gamma), beta)
}

describe('FusedBatchNorm gradient', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each([[[8, 14, 14, 16]], [[64, 28, 28, 32]], [[32, 512]], [[3, 5, 7, 2]]])('matches cpu for x %j', async (shape) => {
    const channels = shape[shape.length - 1]
    const xVals = randomValues(
      shape.reduce((a, b) => a * b),
      41
    )
    const dyVals = randomValues(xVals.length, 42)
    const gVals = randomValues(channels, 43).map((v) => 1 + v / 2)
    const bVals = randomValues(channels, 44)
    const run = (f: (a: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor) => () => {
      const x = tf.tensor(xVals, shape)
      const gamma = tf.tensor1d(gVals)
      const beta = tf.tensor1d(bVals)
      const dy = tf.tensor(dyVals, shape)
      const y = f(x, gamma, beta)
      const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => f(a, g as tf.Tensor1D, b as tf.Tensor1D))([x, gamma, beta], dy)
      return [y, ...grads]
    }
    const err = await wasmVersusCpu(run(trainingBatchNorm), run(primitiveBatchNorm))
    expect(err).toBeLessThan(1e-4)
  })

  it('also matches with moving statistics as constants (inference-style mean and variance)', async () => {
    const shape = [6, 5, 5, 4]
    const xVals = randomValues(150 * 4, 45)
    const run = (fused: boolean) => () => {
      const x = tf.tensor(xVals, shape)
      const mean = tf.tensor1d([0.1, -0.2, 0.3, 0])
      const variance = tf.tensor1d([1, 2, 0.5, 1.5])
      const scale = tf.tensor1d([1, 0.5, 2, 1])
      const offset = tf.tensor1d([0, 1, -1, 0.5])
      const dy = tf.tensor(randomValues(xVals.length, 46), shape)
      return tf.grads((a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
        fused
          ? tf.batchNorm(a, m as tf.Tensor1D, v as tf.Tensor1D, o as tf.Tensor1D, s as tf.Tensor1D, 1e-3)
          : primitiveBatchNorm(a, s, o, m, v)
      )([x, mean, variance, scale, offset], dy)
    }
    const err = await wasmVersusCpu(run(true), run(false))
    expect(err).toBeLessThan(1e-4)
  })
})
