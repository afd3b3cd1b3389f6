import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { productCosts } from '@main/core/tfjs/kernels/batch-mat-mul'
import { randomValues, wasmVersusCpu } from '../../../../../helpers/compare-backends'

const CASES = [
  { m: 64, k: 3136, n: 512, transposeA: true, transposeB: false },
  { m: 64, k: 512, n: 3136, transposeA: false, transposeB: true },
  { m: 7, k: 5, n: 3, transposeA: true, transposeB: true },
  { m: 33, k: 17, n: 9, transposeA: false, transposeB: false },
  // Wide right operand: computed as (B·Aᵀ)ᵀ.
  { m: 5, k: 40, n: 300, transposeA: false, transposeB: true },
  { m: 3, k: 2, n: 50, transposeA: true, transposeB: true }
]

describe('BatchMatMul on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each(CASES)('matches cpu for %o', async ({ m, k, n, transposeA, transposeB }) => {
    const aShape = transposeA ? [k, m] : [m, k]
    const bShape = transposeB ? [n, k] : [k, n]
    const aVals = randomValues(m * k, 21)
    const bVals = randomValues(k * n, 22)
    const err = await wasmVersusCpu(() => {
      const a = tf.tensor2d(aVals, aShape as [number, number])
      const b = tf.tensor2d(bVals, bShape as [number, number])
      const y = tf.matMul(a, b, transposeA, transposeB)
      const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D, transposeA, transposeB))(
        [a, b],
        tf.onesLike(y)
      )
      return [y, da, db]
    })
    expect(err).toBeLessThan(1e-4)
  })

  it('computes (B·Aᵀ)ᵀ only when it costs less', () => {
    const swaps = (m: number, k: number, n: number, tA: boolean, tB: boolean): boolean => {
      const c = productCosts(m, k, n, tA, tB)
      return c.swapped < c.direct
    }
    // A wide dense layer's dy·Wᵀ: swapped, so W is neither transposed nor repacked.
    expect(swaps(64, 512, 3136, false, true)).toBe(true)
    // Its xᵀ·dy: direct (swapping would repack x and transpose the large product).
    expect(swaps(3136, 64, 512, true, false)).toBe(false)
    // A first convolution's patchesᵀ·dy (50,176 pixels, 3×3×1 patches, 32 filters): swapped, so the narrow
    // patches are repacked instead of dy.
    expect(swaps(9, 50176, 32, true, false)).toBe(true)
  })

  it('keeps rank-3 single products correct', async () => {
    const aVals = randomValues(6 * 20, 25)
    const bVals = randomValues(70 * 20, 26)
    const err = await wasmVersusCpu(() => [tf.matMul(tf.tensor3d(aVals, [1, 6, 20]), tf.tensor3d(bVals, [1, 70, 20]), false, true)])
    expect(err).toBeLessThan(1e-4)
  })

  it('keeps batched products correct', async () => {
    const aVals = randomValues(3 * 4 * 5, 23)
    const bVals = randomValues(3 * 6 * 5, 24)
    const err = await wasmVersusCpu(() => [tf.matMul(tf.tensor3d(aVals, [3, 4, 5]), tf.tensor3d(bVals, [3, 6, 5]), false, true)])
    expect(err).toBeLessThan(1e-4)
  })
})
