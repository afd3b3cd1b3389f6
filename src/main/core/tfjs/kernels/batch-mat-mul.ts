/**
 * BatchMatMul for the WASM backend. The stock kernel only uses XNNPACK when neither operand is transposed and
 * falls back to a naive triple loop otherwise, which is what every dense layer's backward pass asks for.
 * Transposing operands first keeps all products on XNNPACK. Those transposes, and XNNPACK's repacking of the
 * right operand on every call (a new tensor each step misses its operator cache), are memory passes; so the
 * product is computed either directly or as (op(B)ᵀ·op(A)ᵀ)ᵀ, whichever costs less. For dy·Wᵀ of a wide
 * dense layer that avoids transposing and repacking the whole weight matrix; for the patches of a first
 * convolution layer, patchesᵀ·dy, it repacks the narrow patches instead of dy.
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

/**
 * What XNNPACK's repacking of the right operand costs per element, in transposed elements: packing a fresh
 * 50,176 × 32 right operand took about 8.8 ms, transposing the same matrix about 2.8 ms (2 threads, 2026-12-06).
 */
export const REPACK_WEIGHT = 3

/** Cost (elements transposed, plus elements repacked × REPACK_WEIGHT) of each way of computing op(A)·op(B) with A·B on XNNPACK. */
export function productCosts(
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean
): { direct: number; swapped: number } {
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + REPACK_WEIGHT * k * n
  const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + REPACK_WEIGHT * m * k + m * n
  return { direct, swapped }
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
    const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2)
    const n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1]
    const costs = productCosts(m, k, n, transposeA, transposeB)
    const plain = (left: tf.Tensor, right: tf.Tensor): TensorInfo =>
      stock({ ...args, inputs: { a: left, b: right }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as TensorInfo
    if (costs.swapped < costs.direct) {
      return tf.tidy(() => {
        const left = transposeB ? b : transposeLast2(b)
        const right = transposeA ? a : transposeLast2(a)
        const outT = tf.engine().makeTensorFromTensorInfo(plain(left, right))
        return transposeLast2(outT)
      })
    }
    const aT = transposeA ? transposeLast2(a) : a
    const bT = transposeB ? transposeLast2(b) : b
    try {
      return plain(aT, bT)
    } finally {
      if (aT !== a) aT.dispose()
      if (bT !== b) bT.dispose()
    }
  })
}
