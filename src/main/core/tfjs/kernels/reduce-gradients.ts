/**
 * Gradients of Sum and Mean over every axis but the last (batch-norm moments, bias-like reductions) without a
 * full-size multiply. tfjs-core broadcasts dy by multiplying it with a tensor of ones the size of x (and, for
 * Mean, divides all of it by the count): two or three full-size passes on one thread. Here the per-channel
 * values are divided first (the same float32 division) and spread over the rows by one XNNPACK product
 * ones[rows,1]·dy[1,C], which is exact (each output is 1·dy). Only on 'wasm'; other cases keep core's gradients.
 */
import * as tf from '@tensorflow/tfjs'
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs'

/** The number of rows when `axis` is every axis of x but the last, else null. */
function leadingRows(x: tf.Tensor, axis: number | number[]): number | null {
  if (x.dtype !== 'float32' || x.rank < 2 || tf.getBackend() !== 'wasm') return null
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q)
  if (axes.length !== x.rank - 1 || axes.some((a, i) => a !== i)) return null
  return x.size / x.shape[x.rank - 1]
}

function spreadGradient(kind: 'Sum' | 'Mean', core: GradConfig): GradConfig {
  return {
    kernelName: kind,
    inputsToSave: ['x'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
      const [x] = saved
      const rows = leadingRows(x, (attrs as unknown as { axis: number | number[] }).axis)
      if (rows == null) return core.gradFunc(dy, saved, attrs)
      const channels = x.shape[x.rank - 1]
      return {
        x: () => {
          // core's dy·1 is dy itself; Mean then divides by the count, as core does.
          let perChannel = tf.reshape(dy as tf.Tensor, [1, channels])
          if (kind === 'Mean') perChannel = tf.div(perChannel, tf.scalar(rows))
          return tf.reshape(tf.matMul(tf.ones([rows, 1]), perChannel), x.shape)
        }
      }
    }
  }
}

/** Replaces core's Sum and Mean gradients by ones that take the fast path on 'wasm' and defer to core otherwise. */
export function registerReduceGradients(): void {
  for (const kind of ['Sum', 'Mean'] as const) {
    const core = tf.getGradient(kind)
    if (!core) throw new Error(`tfjs-core has no '${kind}' gradient to build on`)
    tf.registerGradient(spreadGradient(kind, core))
  }
}
