/**
 * MaxPoolGrad for the WASM backend when windows tile the input (k×k pool, stride k; 'same' padding is
 * handled by padding with −∞).
 * The stock kernel is a scalar loop on one thread. Here the gradient goes to the first cell (row-major, as
 * TensorFlow picks) equal to the window's max, found with a few broadcasting element-wise passes and an
 * XNNPACK max-pool. Overlapping windows use the stock kernel.
 */
import * as tf from '@tensorflow/tfjs'
import type { KernelConfig, MaxPoolGradAttrs } from '@tensorflow/tfjs'
import { overStock } from './stock-kernel'

/**
 * dx for non-overlapping k×k windows over the first `outH·k` rows and `outW·k` columns, in full-size passes:
 * cells equal to their window's max get a score that is higher the earlier they come (row-major), a max-pool
 * of the scores finds each window's first max, and dy goes to the cell holding that score.
 */
function tiledMaxPoolGrad(x: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D, k: number): tf.Tensor {
  const [n, h, w, c] = x.shape
  const [, outH, outW] = y.shape
  const rows = n * outH
  const cropped = h === outH * k && w === outW * k ? x : tf.slice(x, [0, 0, 0, 0], [n, outH * k, outW * k, c])
  // x[b, oh·k+i, ow·k+j, ch] sits at [b·outH+oh, i, ow, j, ch] of this view; window values broadcast over i, j.
  const view = tf.reshape(cropped, [rows, k, outW, k, c])
  const windowShape = [rows, 1, outW, 1, c]
  const order = tf.tensor(Array.from({ length: k * k }, (_, p) => k * k - p), [1, k, 1, k, 1])
  // a ≤ window max everywhere, so 1 − step(max − a) is 1 exactly where a equals it and 0 elsewhere. A
  // broadcasting Equal would do, but it is a slow generic loop on WASM; these ops are fast.
  const isWindowMax = (a: tf.Tensor, max: tf.Tensor): tf.Tensor => tf.sub(1, tf.step(tf.sub(tf.reshape(max, windowShape), a)))
  const score = tf.mul(isWindowMax(view, y), order)
  const best = tf.maxPool(tf.reshape(score, [n, outH * k, outW * k, c]) as tf.Tensor4D, k, k, 'valid')
  const winner = isWindowMax(score, best)
  const dx = tf.reshape(tf.mul(winner, tf.reshape(dy, windowShape)), [n, outH * k, outW * k, c])
  if (dx.shape[1] === h && dx.shape[2] === w) return dx
  return tf.pad(dx, [[0, 0], [0, h - outH * k], [0, w - outW * k], [0, 0]])
}

export function maxPoolGradConfig(): KernelConfig {
  return overStock('MaxPoolGrad', (args, stock) => {
    const x = args.inputs.input as tf.Tensor4D
    const y = args.inputs.output as tf.Tensor4D
    const dy = args.inputs.dy as tf.Tensor4D
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs
    const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode)
    const k = info.filterHeight
    const { top, left, bottom, right } = info.padInfo
    const tiles = info.filterWidth === k && info.strideHeight === k && info.strideWidth === k && x.dtype === 'float32'
    if (!tiles || k < 2) return stock(args)
    return tf.tidy(() => {
      if (top + left + bottom + right === 0) return tiledMaxPoolGrad(x, y, dy, k)
      // Padded cells never win a window, so −∞ padding reproduces the padded pooling exactly.
      const padding: [number, number][] = [[0, 0], [top, bottom], [left, right], [0, 0]]
      const padded = tf.pad(x, padding, -Infinity)
      const dx = tiledMaxPoolGrad(padded, y, dy, k)
      return tf.slice(dx, [0, top, left, 0], x.shape)
    })
  })
}
