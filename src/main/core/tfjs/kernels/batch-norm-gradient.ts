/**
 * Gradient of FusedBatchNorm without Tile. tfjs-core's gradient tiles 1/√(var+ε) to the full activation shape
 * before multiplying, and Tile is one of the slowest WASM kernels; broadcasting the per-channel factor gives
 * the same values. Registered for every backend (the maths is identical), replacing the core gradient.
 */
import * as tf from '@tensorflow/tfjs'
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs'

function reductionAxes(meanShape: number[], xShape: number[]): number[] {
  return tf.backend_util.getReductionAxes(meanShape, xShape)
}

export const batchNormGradConfig: GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
    const grad = dy as tf.Tensor
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number }
    const [x, mean, variance, scale] = saved
    const scaleValue = scale ?? tf.scalar(1)
    const axes = reductionAxes(mean.shape, x.shape)
    const reduce = (t: tf.Tensor): tf.Tensor => (axes.length > 0 ? tf.sum(t, axes) : t)
    const invStd = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)))
    // mean, variance and scale are per-channel, so their factors move outside the reductions: only two
    // full-size products (dy·(x−mean) and dy·invStd·scale) remain.
    // Computed here rather than inside the closures: tfjs disposes what each closure creates when it returns.
    const sumDy = reduce(grad)
    const sumDyCentered = reduce(tf.mul(grad, tf.sub(x, mean)))
    return {
      x: () => tf.reshape(tf.mul(grad, tf.mul(invStd, scaleValue)), x.shape),
      mean: () => tf.reshape(tf.mul(sumDy, tf.neg(tf.mul(invStd, scaleValue))), mean.shape),
      variance: () => {
        const factor = tf.mul(tf.mul(tf.pow(invStd, tf.scalar(3)), tf.scalar(-0.5)), scaleValue)
        return tf.reshape(tf.mul(sumDyCentered, factor), mean.shape)
      },
      scale: () => tf.reshape(tf.mul(sumDyCentered, invStd), mean.shape),
      offset: () => tf.reshape(sumDy, mean.shape)
    }
  }
}

/** Replaces tfjs-core's FusedBatchNorm gradient with the tile-free one. */
export function registerBatchNormGradient(): void {
  tf.registerGradient(batchNormGradConfig)
}
