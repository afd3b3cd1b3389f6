/**
 * DepthwiseConv2dNativeBackpropInput for the WASM backend, which ships without it.
 * dx[n, i, j, c] = Σ over taps (r, s) and output pixels (h, w) with h·sh + r − top = i, w·sw + s − left = j of
 * Σ_k dy[n, h, w, c·m + k] · W[r, s, c, k] (m: the channel multiplier).
 * For stride 1 that is, as for a full convolution (conv2d-backprop-input.ts), a forward depthwise convolution
 * of dy with the spatially flipped filter ("full" padding minus the forward padding), which XNNPACK runs on
 * the thread pool; with m > 1 each input channel then sums its m outputs. Strided convolutions take one JS
 * pass over the WASM heap instead, as max-pool-grad and adam-update do (single-threaded in both builds):
 * there XNNPACK over dy spread out with zeros (as conv2d-backprop-input.ts does) was no faster, since three
 * quarters of its products are with zeros (interleaved medians, batch 64: 14×14×64 3.0 vs 3.9 ms).
 * Its loop order follows NHWC, as in the filter gradient: one dx row (W·C values) is summed in a float64 row
 * buffer that stays in L1; for every filter tap that reaches it, the matching dy row is walked along the
 * row with a block of four weights held in locals, reading dy along its contiguous channel axis. Each dx
 * value is then written once, so the output needs no zero fill.
 */
import * as tf from '@tensorflow/tfjs'
import type { KernelConfig, KernelFunc, Tensor4D, TensorInfo } from '@tensorflow/tfjs'
import { asFullCorrelation, flipSpatially } from './conv2d-backprop-input'
import { depthwiseGeometry, heapView, type DepthwiseBackpropAttrs, type DepthwiseGeometry, type WasmHeap } from './depthwise-conv-info'

/** One dy row's contribution through filter tap (r, s) to the dx row in `acc`. */
interface RowTap {
  dys: Float32Array
  ws: Float32Array
  acc: Float64Array
  /** Offset of dy[n, h, 0, 0]. */
  dyRow: number
  /** Offset of W[r, s, 0, 0]. */
  tap: number
  /** Column of dx under output column w is w·sw + col0. */
  col0: number
  w0: number
  w1: number
}

function addRowTap(t: RowTap, g: DepthwiseGeometry): void {
  const { dys, ws, acc, dyRow, tap, col0, w0, w1 } = t
  const c = g.channels
  const m = g.multiplier
  const cm = c * m
  const xStep = g.strideWidth * c
  const x0 = (w0 * g.strideWidth + col0) * c
  const y0 = dyRow + w0 * cm
  let d = 0
  for (; d + 4 <= cm; d += 4) {
    // Input channels of output channels d..d+3 (all the same one when m ≥ 4; d..d+3 when m = 1).
    const c0 = (d / m) | 0
    const c1 = ((d + 1) / m) | 0
    const c2 = ((d + 2) / m) | 0
    const c3 = ((d + 3) / m) | 0
    const k0 = ws[tap + d]
    const k1 = ws[tap + d + 1]
    const k2 = ws[tap + d + 2]
    const k3 = ws[tap + d + 3]
    let xi = x0
    let yi = y0 + d
    for (let w = w0; w < w1; w++) {
      acc[xi + c0] += dys[yi] * k0
      acc[xi + c1] += dys[yi + 1] * k1
      acc[xi + c2] += dys[yi + 2] * k2
      acc[xi + c3] += dys[yi + 3] * k3
      xi += xStep
      yi += cm
    }
  }
  for (; d < cm; d++) {
    const cd = (d / m) | 0
    const k = ws[tap + d]
    let xi = x0
    let yi = y0 + d
    for (let w = w0; w < w1; w++) {
      acc[xi + cd] += dys[yi] * k
      xi += xStep
      yi += cm
    }
  }
}

function inputGradient(dys: Float32Array, ws: Float32Array, dx: Float32Array, g: DepthwiseGeometry): void {
  const cm = g.channels * g.multiplier
  const rowSize = g.inWidth * g.channels
  const t: RowTap = { dys, ws, acc: new Float64Array(rowSize), dyRow: 0, tap: 0, col0: 0, w0: 0, w1: 0 }
  for (let n = 0; n < g.batch; n++) {
    for (let i = 0; i < g.inHeight; i++) {
      t.acc.fill(0)
      for (let r = 0; r < g.filterHeight; r++) {
        // The output row whose tap r lands on input row i: h·sh + r − top = i.
        const scaled = i + g.top - r
        if (scaled < 0 || scaled % g.strideHeight !== 0 || scaled / g.strideHeight >= g.outHeight) continue
        t.dyRow = (n * g.outHeight + scaled / g.strideHeight) * g.outWidth * cm
        for (let s = 0; s < g.filterWidth; s++) {
          // Output columns whose tap s lands inside the input: 0 ≤ w·sw + s − left < W.
          t.col0 = s - g.left
          t.w0 = Math.max(0, Math.ceil(-t.col0 / g.strideWidth))
          t.w1 = Math.min(g.outWidth, Math.ceil((g.inWidth - t.col0) / g.strideWidth))
          if (t.w0 >= t.w1) continue
          t.tap = (r * g.filterWidth + s) * cm
          addRowTap(t, g)
        }
      }
      dx.set(t.acc, (n * g.inHeight + i) * rowSize)
    }
  }
}

/** dx for stride 1 on XNNPACK: dy convolved with the flipped filter, then each channel's m outputs summed. */
function viaFlippedFilter(dy: Tensor4D, filter: Tensor4D, g: DepthwiseGeometry): tf.Tensor {
  const { filterHeight: fh, filterWidth: fw, channels: c, multiplier: m } = g
  return tf.tidy(() => {
    const flipped = flipSpatially(tf.reshape(filter, [fh, fw, c * m, 1]))
    const { src, pad } = asFullCorrelation(dy, g)
    const perOutput = tf.depthwiseConv2d(src, flipped, 1, pad)
    if (m === 1) return perOutput
    return tf.sum(tf.reshape(perOutput, [g.batch, g.inHeight, g.inWidth, c, m]), -1)
  })
}

function depthwiseConv2dBackpropInput({ inputs, attrs, backend }: Parameters<KernelFunc>[0]): TensorInfo {
  const heap = backend as unknown as WasmHeap
  const dy = inputs.dy as TensorInfo
  const filter = inputs.filter as TensorInfo
  const a = attrs as unknown as DepthwiseBackpropAttrs & { inputShape: [number, number, number, number] }
  const g = depthwiseGeometry('DepthwiseConv2dNativeBackpropInput', a.inputShape, filter.shape, a, [dy.dtype, filter.dtype])
  if (g.strideHeight === 1 && g.strideWidth === 1) return viaFlippedFilter(dy as Tensor4D, filter as Tensor4D, g)
  const out = heap.makeOutput([...a.inputShape], 'float32')
  // Views only after the allocation: allocating may grow (and replace) the heap buffer.
  inputGradient(heapView(heap, dy), heapView(heap, filter), heapView(heap, out), g)
  return out
}

export const depthwiseConv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput as unknown as KernelFunc
}
