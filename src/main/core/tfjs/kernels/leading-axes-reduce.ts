/**
 * Sum and Mean for the WASM backend when they reduce every axis but the last (bias and batch-norm gradients,
 * batch-norm moments on NHWC data). The stock kernels transpose the tensor first. Here NHWC tensors are first
 * averaged over H×W by XNNPACK's average pooling, and the remaining `[rows, channels]` view is reduced by a
 * row of weights times it, one small XNNPACK matrix product. (A product with the full tensor as its right
 * operand would repack all of it on every call.)
 */
import * as tf from '@tensorflow/tfjs'
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs'
import { overStock, type KernelArgs } from './stock-kernel'

/** The number of leading rows reduced, or null when the reduction is not "all axes but the last". */
function leadingRows(x: tf.Tensor, axis: number | number[]): number | null {
  if (x.dtype !== 'float32' || x.rank < 2) return null
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q)
  if (axes.length !== x.rank - 1 || axes.some((a, i) => a !== i)) return null
  return x.size / x.shape[x.rank - 1]
}

function reduceLeading(kind: 'sum' | 'mean'): (args: KernelArgs, stock: KernelFunc) => ReturnType<KernelFunc> {
  return (args, stock) => {
    const x = args.inputs.x as tf.Tensor
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean }
    const rows = leadingRows(x, axis)
    if (rows == null) return stock(args)
    const channels = x.shape[x.rank - 1]
    return tf.tidy(() => {
      let view: tf.Tensor = x
      let perRow = 1
      const [, height = 1, width = 1] = x.shape as number[]
      if (x.rank === 4 && height * width > 1) {
        perRow = height * width
        view = tf.avgPool(x as tf.Tensor4D, [height, width], 1, 'valid')
      }
      const n = view.size / channels
      const weights = tf.fill([1, n], kind === 'sum' ? perRow : 1 / n)
      const reduced = tf.matMul(weights, tf.reshape(view, [n, channels]))
      return tf.reshape(reduced, keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels])
    })
  }
}

export const sumConfig = (): KernelConfig => overStock('Sum', reduceLeading('sum'))
export const meanConfig = (): KernelConfig => overStock('Mean', reduceLeading('mean'))
