/**
 * FusedBatchNorm (forward) for the WASM backend. The stock kernel is a scalar loop on one thread. With
 * per-channel statistics, (x − mean)·scale/√(var+ε) + offset is x·a + b with a = scale/√(var+ε) and
 * b = offset − mean·a per channel: one 1×1 depthwise convolution with bias, which runs on XNNPACK's threads.
 * Any other parameter shape uses the stock kernel.
 */
import * as tf from '@tensorflow/tfjs'
import type { KernelConfig } from '@tensorflow/tfjs'
import { overStock } from './stock-kernel'

/** True when `t` is absent or holds one value per channel. */
function perChannel(t: tf.Tensor | undefined, channels: number): boolean {
  return t == null || (t.size === channels && t.shape[t.rank - 1] === channels && t.dtype === 'float32')
}

export function fusedBatchNormConfig(): KernelConfig {
  return overStock('FusedBatchNorm', (args, stock) => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, tf.Tensor | undefined>
    const { varianceEpsilon } = args.attrs as { varianceEpsilon: number }
    if (!x || !mean || !variance || x.dtype !== 'float32' || x.rank < 1) return stock(args)
    const channels = x.shape[x.rank - 1]
    if (![mean, variance, offset, scale].every((t) => perChannel(t, channels))) return stock(args)
    return tf.tidy(() => {
      const invStd = tf.rsqrt(tf.add(tf.reshape(variance, [channels]), tf.scalar(varianceEpsilon)))
      const a = scale ? tf.mul(tf.reshape(scale, [channels]), invStd) : invStd
      const shift = tf.neg(tf.mul(tf.reshape(mean, [channels]), a))
      const b = offset ? tf.add(tf.reshape(offset, [channels]), shift) : shift
      const rows = x.size / channels
      const y = tf.fused.depthwiseConv2d({
        x: tf.reshape(x, [1, rows, 1, channels]) as tf.Tensor4D,
        filter: tf.reshape(a, [1, 1, channels, 1]) as tf.Tensor4D,
        strides: 1,
        pad: 'valid',
        bias: b
      })
      return tf.reshape(y, x.shape)
    })
  })
}
