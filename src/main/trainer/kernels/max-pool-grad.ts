/**
 * MaxPoolGrad for the WASM backend when windows tile the input (k×k pool, stride k; 'same' padding is
 * handled by padding with −∞).
 * The stock kernel is a scalar loop on one thread. Here each of the k² window positions is a strided view
 * of the input; the gradient goes to the first position (row-major, as TensorFlow picks) equal to the
 * window's max, using a handful of quarter-size element-wise passes. Other shapes use the stock kernel.
 */
import * as tf from '@tensorflow/tfjs'
import type { KernelConfig, MaxPoolGradAttrs } from '@tensorflow/tfjs'
import { overStock } from './stock-kernel'

/** dx for non-overlapping k×k windows over the first `outH·k` rows and `outW·k` columns. */
function tiledMaxPoolGrad(x: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D, k: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape
  const [, outH, outW] = y.shape
  const rows = n * outH
  // x[b, oh·k+i, ow·k+j, ch] sits at [b·outH+oh, i, ow, j·C+ch] of this view.
  const cropped = h === outH * k && w === outW * k ? x : tf.slice(x, [0, 0, 0, 0], [n, outH * k, outW * k, c])
  const view = tf.reshape(cropped, [rows, k, outW, k * c])
  const yView = tf.reshape(y, [rows, 1, outW, c])
  const dyView = tf.reshape(dy, [rows, 1, outW, c])
  const zeros = tf.zerosLike(dyView)
  let taken: tf.Tensor | null = null
  const bands: tf.Tensor[] = []
  for (let i = 0; i < k; i++) {
    const parts: tf.Tensor[] = []
    for (let j = 0; j < k; j++) {
      const isMax = tf.equal(tf.slice(view, [0, i, 0, j * c], [rows, 1, outW, c]), yView)
      const first: tf.Tensor = taken ? tf.logicalAnd(isMax, tf.logicalNot(taken)) : isMax
      taken = taken ? tf.logicalOr(taken, isMax) : isMax
      parts.push(tf.where(first, dyView, zeros))
    }
    bands.push(tf.concat(parts, 3))
  }
  const dx = tf.reshape(tf.concat(bands, 1), [n, outH * k, outW * k, c])
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
