/**
 * DepthwiseConv2dNativeBackpropFilter for the WASM backend, which ships without it.
 * dW[r, s, c, k] = Σ_{n,h,w} x[n, h·sh + r − top, w·sw + s − left, c] · dy[n, h, w, c·m + k] (m: the channel
 * multiplier). Unlike a full convolution's filter gradient this has no channel contraction, so it is no
 * matrix product for XNNPACK: it is one JS pass over the WASM heap, as max-pool-grad and adam-update are
 * (single-threaded in both the threaded and the plain build: JS cannot run on the WASM thread pool).
 * Loop order follows NHWC: for one row of dy and one filter tap, the matching row of x (W·C floats) and the
 * dy row stay in L1 while blocks of four output channels are accumulated across the row in locals, so the
 * innermost loop does two loads per multiply-add and the accumulator is touched once per row and block.
 * Row sums are added into a float64 accumulator, so the result is as precise as the cpu backend's.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs'
import { depthwiseGeometry, heapView, type DepthwiseBackpropAttrs, type DepthwiseGeometry, type WasmHeap } from './depthwise-conv-info'

/** Adds one row's contribution to dW for filter tap (r, s): dy row `dyRow`, x row `xRow`, output columns w0..w1. */
interface RowTap {
  xs: Float32Array
  dys: Float32Array
  acc: Float64Array
  /** Offset of x[n, ih, 0, 0] and of dy[n, h, 0, 0]. */
  xRow: number
  dyRow: number
  /** Offset of dW[r, s, 0, 0] in the accumulator. */
  tap: number
  /** Column of x under output column w is w·sw + col0. */
  col0: number
  w0: number
  w1: number
}

function accumulateRowTap(t: RowTap, g: DepthwiseGeometry): void {
  const { xs, dys, acc, xRow, dyRow, tap, col0, w0, w1 } = t
  const c = g.channels
  const m = g.multiplier
  const cm = c * m
  const xStep = g.strideWidth * c
  const x0 = xRow + (w0 * g.strideWidth + col0) * c
  const y0 = dyRow + w0 * cm
  let d = 0
  for (; d + 4 <= cm; d += 4) {
    // Input channels of output channels d..d+3 (all the same one when m ≥ 4; d..d+3 when m = 1).
    const c0 = (d / m) | 0
    const c1 = ((d + 1) / m) | 0
    const c2 = ((d + 2) / m) | 0
    const c3 = ((d + 3) / m) | 0
    let a0 = 0
    let a1 = 0
    let a2 = 0
    let a3 = 0
    let xi = x0
    let yi = y0 + d
    for (let w = w0; w < w1; w++) {
      a0 += xs[xi + c0] * dys[yi]
      a1 += xs[xi + c1] * dys[yi + 1]
      a2 += xs[xi + c2] * dys[yi + 2]
      a3 += xs[xi + c3] * dys[yi + 3]
      xi += xStep
      yi += cm
    }
    acc[tap + d] += a0
    acc[tap + d + 1] += a1
    acc[tap + d + 2] += a2
    acc[tap + d + 3] += a3
  }
  for (; d < cm; d++) {
    const cd = (d / m) | 0
    let a = 0
    let xi = x0
    let yi = y0 + d
    for (let w = w0; w < w1; w++) {
      a += xs[xi + cd] * dys[yi]
      xi += xStep
      yi += cm
    }
    acc[tap + d] += a
  }
}

/** dW summed over the batch into `acc` (laid out as the filter, [fh, fw, C, m]). */
function accumulateFilterGradient(xs: Float32Array, dys: Float32Array, acc: Float64Array, g: DepthwiseGeometry): void {
  const cm = g.channels * g.multiplier
  const t: RowTap = { xs, dys, acc, xRow: 0, dyRow: 0, tap: 0, col0: 0, w0: 0, w1: 0 }
  for (let n = 0; n < g.batch; n++) {
    for (let h = 0; h < g.outHeight; h++) {
      t.dyRow = (n * g.outHeight + h) * g.outWidth * cm
      for (let r = 0; r < g.filterHeight; r++) {
        const ih = h * g.strideHeight + r - g.top
        if (ih < 0 || ih >= g.inHeight) continue
        t.xRow = (n * g.inHeight + ih) * g.inWidth * g.channels
        for (let s = 0; s < g.filterWidth; s++) {
          // Output columns whose tap s lands inside the input: 0 ≤ w·sw + s − left < W.
          t.col0 = s - g.left
          t.w0 = Math.max(0, Math.ceil(-t.col0 / g.strideWidth))
          t.w1 = Math.min(g.outWidth, Math.ceil((g.inWidth - t.col0) / g.strideWidth))
          if (t.w0 >= t.w1) continue
          t.tap = (r * g.filterWidth + s) * cm
          accumulateRowTap(t, g)
        }
      }
    }
  }
}

function depthwiseConv2dBackpropFilter({ inputs, attrs, backend }: Parameters<KernelFunc>[0]): TensorInfo {
  const heap = backend as unknown as WasmHeap
  const x = inputs.x as TensorInfo
  const dy = inputs.dy as TensorInfo
  const a = attrs as unknown as DepthwiseBackpropAttrs & { filterShape: [number, number, number, number] }
  const g = depthwiseGeometry('DepthwiseConv2dNativeBackpropFilter', x.shape, a.filterShape, a, [x.dtype, dy.dtype])
  const acc = new Float64Array(g.filterHeight * g.filterWidth * g.channels * g.multiplier)
  accumulateFilterGradient(heapView(heap, x), heapView(heap, dy), acc, g)
  const out = heap.makeOutput([...a.filterShape], 'float32')
  // The view only after the allocation: allocating may grow (and replace) the heap buffer.
  heapView(heap, out).set(acc)
  return out
}

export const depthwiseConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilter as unknown as KernelFunc
}
