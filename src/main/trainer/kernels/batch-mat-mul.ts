/**
 * BatchMatMul for the WASM backend. The stock kernel only uses XNNPACK when neither operand is transposed and
 * falls back to a naive triple loop otherwise, which is what every dense layer's backward pass asks for.
 * Transposing the operand first (a cheap memory pass) keeps all products on XNNPACK.
 */
import * as tf from '@tensorflow/tfjs'
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs'
import { overStock } from './stock-kernel'

/** Swaps the last two axes. */
function transposeLast2(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i)
  perm[perm.length - 1] = perm.length - 2
  perm[perm.length - 2] = perm.length - 1
  return tf.transpose(t, perm)
}

export function batchMatMulConfig(): KernelConfig {
  return overStock('BatchMatMul', (args, stock) => {
    const a = args.inputs.a as tf.Tensor
    const b = args.inputs.b as tf.Tensor
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean }
    const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1)
    const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1)
    // XNNPACK is used only for a single matrix product; batched products stay on the stock kernel.
    if ((!transposeA && !transposeB) || batchA !== 1 || batchB !== 1 || a.dtype !== 'float32') return stock(args)
    const aT = transposeA ? transposeLast2(a) : a
    const bT = transposeB ? transposeLast2(b) : b
    try {
      return stock({ ...args, inputs: { a: aT, b: bT }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as TensorInfo
    } finally {
      if (aT !== a) aT.dispose()
      if (bT !== b) bT.dispose()
    }
  })
}
