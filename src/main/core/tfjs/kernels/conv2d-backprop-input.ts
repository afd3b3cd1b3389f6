/**
 * Conv2DBackpropInput for the WASM backend. The stock kernel is a naive loop; the input gradient is a forward
 * convolution of dy with the spatially flipped, in/out-swapped filter ("full" padding minus the forward
 * padding), which runs on XNNPACK. For stride s, dx splits into s × s phases (rows i ≡ a, columns j ≡ b mod s):
 * each phase is a stride-1 convolution of dy with the filter taps that reach it, and the phases are then
 * interleaved. That does the forward pass's multiply-adds and no more; convolving dy spread out with s − 1
 * zeros between rows and columns, as this kernel did before, multiplied zeros three times in four at stride 2.
 * NCHW data falls back to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs'
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, Tensor4D } from '@tensorflow/tfjs'

/**
 * The filter reversed along its two spatial axes. The stock Reverse kernel is a slow element loop; the
 * fh·fw spatial taps are contiguous rows of Ci·Co values, so copying them in reverse order is the same.
 */
export function flipSpatially(filter: Tensor4D): Tensor4D {
  const [fh, fw, ci, co] = filter.shape
  const reversed = Array.from({ length: fh * fw }, (_, i) => fh * fw - 1 - i)
  return tf.reshape(pickRows(tf.reshape(filter, [fh * fw, ci * co]), reversed), filter.shape)
}

/**
 * Rows `indices` of a matrix, in that order: one contiguous copy per row. The stock GatherV2 kernel copies
 * element by element (2.6 ms for 9 rows of a 3×3×64×128 filter, against a fraction of that this way).
 */
function pickRows(rows: tf.Tensor, indices: number[]): tf.Tensor {
  const width = rows.shape[1] as number
  const picked = indices.map((i) => tf.slice(rows, [i, 0], [1, width]))
  return picked.length === 1 ? picked[0] : tf.concat(picked, 0)
}

/** What the input gradient of a (depthwise or full) convolution needs to know about its forward pass. */
export interface ForwardGeometry {
  inHeight: number
  inWidth: number
  filterHeight: number
  filterWidth: number
  strideHeight: number
  strideWidth: number
  /** Padding rows above / columns left of the input (the rest of 'same' padding goes below / right). */
  top: number
  left: number
}

/**
 * One phase along one axis: the dx positions a, a + s, a + 2s, … (`count` of them, the last ones possibly past
 * the input's end) as a stride-1 valid correlation over dy[start, end) padded with `before` and `after` zeros,
 * with the filter taps `taps` in the order the correlation reads them.
 */
interface AxisPhase {
  taps: number[]
  start: number
  end: number
  before: number
  after: number
}

/**
 * dx[i] = Σ_r dy[(i + pad − r) / s]·W[r] over taps r with i + pad − r a multiple of s. For i = a + s·p those
 * are r = r0 + s·k (r0 = (a + pad) mod s), read from dy[p + q − k] (q = (a + pad − r0) / s): a correlation
 * starting at dy row p + q − K + 1 with the K taps reversed.
 */
function axisPhase(a: number, pad: number, stride: number, filterSize: number, dySize: number, count: number): AxisPhase {
  const r0 = (a + pad) % stride
  const taps: number[] = []
  for (let r = r0; r < filterSize; r += stride) taps.unshift(r)
  const offset = (a + pad - r0) / stride - taps.length + 1
  const last = offset + count + taps.length - 1 // one past the last dy row read
  return {
    taps,
    start: Math.max(0, offset),
    end: Math.min(dySize, last),
    before: Math.max(0, -offset),
    after: Math.max(0, last - dySize)
  }
}

/** Stride 1 (one phase): dy and the explicit padding for a stride-1 forward convolution with the flipped filter. */
export function asFullCorrelation(dy: Tensor4D, g: ForwardGeometry): { src: Tensor4D; pad: tf.backend_util.ExplicitPadding } {
  if (g.strideHeight !== 1 || g.strideWidth !== 1) throw new Error('asFullCorrelation: strided convolutions go by phases')
  const rows = axisPhase(0, g.top, 1, g.filterHeight, dy.shape[1], g.inHeight)
  const cols = axisPhase(0, g.left, 1, g.filterWidth, dy.shape[2], g.inWidth)
  return { src: cut(dy, rows, cols), pad: explicitPad(rows, cols) }
}

function cut(dy: Tensor4D, rows: AxisPhase, cols: AxisPhase): Tensor4D {
  if (rows.start === 0 && cols.start === 0 && rows.end === dy.shape[1] && cols.end === dy.shape[2]) return dy
  return tf.slice(dy, [0, rows.start, cols.start, 0], [-1, rows.end - rows.start, cols.end - cols.start, -1])
}

function explicitPad(rows: AxisPhase, cols: AxisPhase): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [rows.before, rows.after],
    [cols.before, cols.after],
    [0, 0]
  ]
}

/** One phase of dx, `[N, rows, cols, Ci]`: dy correlated with the taps that reach it (zeros when none do). */
function phaseGradient(
  dy: Tensor4D,
  filterRows: tf.Tensor2D,
  filterShape: number[],
  rows: AxisPhase,
  cols: AxisPhase,
  shape: number[]
): tf.Tensor {
  const [, fw, ci, co] = filterShape
  if (rows.taps.length === 0 || cols.taps.length === 0 || rows.end <= rows.start || cols.end <= cols.start) return tf.zeros(shape)
  const taps = rows.taps.flatMap((r) => cols.taps.map((c) => r * fw + c))
  const sub = tf.reshape(pickRows(filterRows, taps), [rows.taps.length, cols.taps.length, ci, co])
  return tf.conv2d(cut(dy, rows, cols), tf.transpose(sub, [0, 1, 3, 2]) as Tensor4D, 1, explicitPad(rows, cols))
}

/** dx for any stride: the s × s phases, each `[N, ⌈H/sh⌉, ⌈W/sw⌉, Ci]`, interleaved and cut to H × W. */
function byPhases(dy: Tensor4D, filter: Tensor4D, g: ForwardGeometry): tf.Tensor {
  const [n] = dy.shape
  const [fh, fw, ci, co] = filter.shape
  const { strideHeight: sh, strideWidth: sw } = g
  const ph = Math.ceil(g.inHeight / sh)
  const pw = Math.ceil(g.inWidth / sw)
  const filterRows = tf.reshape(filter, [fh * fw, ci * co]) as tf.Tensor2D
  const phases: tf.Tensor[] = []
  for (let a = 0; a < sh; a++) {
    const rows = axisPhase(a, g.top, sh, fh, dy.shape[1], ph)
    for (let b = 0; b < sw; b++) {
      const cols = axisPhase(b, g.left, sw, fw, dy.shape[2], pw)
      phases.push(tf.reshape(phaseGradient(dy, filterRows, filter.shape, rows, cols, [n, ph, pw, ci]), [1, -1]))
    }
  }
  // Interleaved by two transposes (C++ on the WASM heap; the JS Concat along the channel axis took twice as
  // long): [sh, sw, N·ph·pw, Ci] → [sh, N·ph·pw, sw, Ci], which is [sh, N·ph, pw·sw·Ci] → [N·ph, sh, pw·sw·Ci].
  let cells = tf.reshape(phases.length === 1 ? phases[0] : tf.concat(phases, 0), [sh, sw, n * ph * pw, ci])
  if (sw > 1) cells = tf.transpose(cells, [0, 2, 1, 3])
  let rowsFirst = tf.reshape(cells, [sh, n * ph, pw * sw * ci])
  if (sh > 1) rowsFirst = tf.transpose(rowsFirst, [1, 0, 2])
  const whole = tf.reshape(rowsFirst, [n, ph * sh, pw * sw, ci])
  if (ph * sh === g.inHeight && pw * sw === g.inWidth) return whole
  return tf.slice(whole, [0, 0, 0, 0], [-1, g.inHeight, g.inWidth, -1])
}

/** Builds the kernel around the stock one, which still handles NCHW data. */
export function conv2dBackpropInputConfig(stockConfig: KernelConfig | undefined): KernelConfig {
  const stock = stockConfig?.kernelFunc
  function conv2dBackpropInput(args: Parameters<KernelFunc>[0]): ReturnType<KernelFunc> {
    const dy = args.inputs.dy as Tensor4D
    const filter = args.inputs.filter as Tensor4D
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(dataFormat)
    )
    if (info.dataFormat !== 'channelsLast') {
      if (!stock) throw new Error('Conv2DBackpropInput on wasm: NCHW data needs the stock kernel, which is missing')
      return stock(args)
    }
    return tf.tidy(() => byPhases(dy, filter, { ...info, top: info.padInfo.top, left: info.padInfo.left }))
  }
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: conv2dBackpropInput as KernelFunc,
    // The stock kernel binds its WASM function in its setup; keep that so the fallback works.
    setupFunc: stockConfig?.setupFunc
  }
}
