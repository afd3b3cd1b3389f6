/**
 * DepthwiseConv2dNativeBackpropInput for the WASM backend, which ships without it.
 * dx[n, i, j, c] = Σ over taps (r, s) and output pixels (h, w) with h·sh + r − top = i, w·sw + s − left = j of
 * Σ_k dy[n, h, w, c·m + k] · W[r, s, c, k] (m: the channel multiplier). One JS pass over the WASM heap, as
 * max-pool-grad and adam-update are (single-threaded in both builds: JS cannot run on the WASM thread pool).
 * It gathers: each dx pixel lists the taps that reach it once (for stride 2 only every other tap does), and
 * blocks of four channels are summed over those taps in locals, reading dy and W along their contiguous
 * channel axis (NHWC), so every dx value is written once and needs no zero fill.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs'
import { depthwiseGeometry, heapView, type DepthwiseBackpropAttrs, type DepthwiseGeometry, type WasmHeap } from './depthwise-conv-info'

/**
 * For each input position along one axis, the (tap, output position) pairs that reach it:
 * pairs `start[i]`..`start[i + 1]` of `tap` and `out`.
 */
interface AxisTaps {
  start: Int32Array
  tap: Int32Array
  out: Int32Array
}

function axisTaps(size: number, outSize: number, filter: number, stride: number, before: number): AxisTaps {
  const start = new Int32Array(size + 1)
  const tap: number[] = []
  const out: number[] = []
  for (let i = 0; i < size; i++) {
    start[i] = tap.length
    for (let r = 0; r < filter; r++) {
      const scaled = i + before - r
      if (scaled < 0 || scaled % stride !== 0 || scaled / stride >= outSize) continue
      tap.push(r)
      out.push(scaled / stride)
    }
  }
  start[size] = tap.length
  return { start, tap: Int32Array.from(tap), out: Int32Array.from(out) }
}

/** Views of the three tensors, as the loops read them. */
interface Buffers {
  dys: Float32Array
  ws: Float32Array
  dx: Float32Array
}

/** dx for the input pixel at `dxAt` (row i, column j of image `dyImage`) from the taps that reach it. */
function gatherPixel(b: Buffers, g: DepthwiseGeometry, dxAt: number, dyImage: number, taps: [AxisTaps, number, AxisTaps, number]): void {
  const { dys, ws, dx } = b
  const [rows, i, cols, j] = taps
  const c = g.channels
  const m = g.multiplier
  const cm = c * m
  let ch = 0
  for (; ch + 4 <= c; ch += 4) {
    let a0 = 0
    let a1 = 0
    let a2 = 0
    let a3 = 0
    for (let p = rows.start[i]; p < rows.start[i + 1]; p++) {
      const dyRow = dyImage + rows.out[p] * g.outWidth * cm
      const wRow = rows.tap[p] * g.filterWidth * cm
      for (let q = cols.start[j]; q < cols.start[j + 1]; q++) {
        let yi = dyRow + cols.out[q] * cm + ch * m
        let wi = wRow + cols.tap[q] * cm + ch * m
        for (let k = 0; k < m; k++, yi++, wi++) {
          a0 += dys[yi] * ws[wi]
          a1 += dys[yi + m] * ws[wi + m]
          a2 += dys[yi + 2 * m] * ws[wi + 2 * m]
          a3 += dys[yi + 3 * m] * ws[wi + 3 * m]
        }
      }
    }
    dx[dxAt + ch] = a0
    dx[dxAt + ch + 1] = a1
    dx[dxAt + ch + 2] = a2
    dx[dxAt + ch + 3] = a3
  }
  for (; ch < c; ch++) {
    let a = 0
    for (let p = rows.start[i]; p < rows.start[i + 1]; p++) {
      const dyRow = dyImage + rows.out[p] * g.outWidth * cm
      const wRow = rows.tap[p] * g.filterWidth * cm
      for (let q = cols.start[j]; q < cols.start[j + 1]; q++) {
        const yi = dyRow + cols.out[q] * cm + ch * m
        const wi = wRow + cols.tap[q] * cm + ch * m
        for (let k = 0; k < m; k++) a += dys[yi + k] * ws[wi + k]
      }
    }
    dx[dxAt + ch] = a
  }
}

function gatherInputGradient(b: Buffers, g: DepthwiseGeometry): void {
  const rows = axisTaps(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.top)
  const cols = axisTaps(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.left)
  const taps: [AxisTaps, number, AxisTaps, number] = [rows, 0, cols, 0]
  const dyImageSize = g.outHeight * g.outWidth * g.channels * g.multiplier
  for (let n = 0; n < g.batch; n++) {
    for (let i = 0; i < g.inHeight; i++) {
      taps[1] = i
      for (let j = 0; j < g.inWidth; j++) {
        taps[3] = j
        gatherPixel(b, g, ((n * g.inHeight + i) * g.inWidth + j) * g.channels, n * dyImageSize, taps)
      }
    }
  }
}

function depthwiseConv2dBackpropInput({ inputs, attrs, backend }: Parameters<KernelFunc>[0]): TensorInfo {
  const heap = backend as unknown as WasmHeap
  const dy = inputs.dy as TensorInfo
  const filter = inputs.filter as TensorInfo
  const a = attrs as unknown as DepthwiseBackpropAttrs & { inputShape: [number, number, number, number] }
  const g = depthwiseGeometry('DepthwiseConv2dNativeBackpropInput', a.inputShape, filter.shape, a, [dy.dtype, filter.dtype])
  const out = heap.makeOutput([...a.inputShape], 'float32')
  // Views only after the allocation: allocating may grow (and replace) the heap buffer.
  gatherInputGradient({ dys: heapView(heap, dy), ws: heapView(heap, filter), dx: heapView(heap, out) }, g)
  return out
}

export const depthwiseConv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput as unknown as KernelFunc
}
