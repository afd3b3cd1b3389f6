/**
 * What both depthwise gradient kernels need to know about one DepthwiseConv2dNative: its geometry (from
 * tf.js's own computeConv2DInfo, so TF's asymmetric 'same' padding comes out as tf.js pads), the checks
 * for what they support, and the part of the WASM backend they use.
 */
import * as tf from '@tensorflow/tfjs'
import type { DataId, TensorInfo } from '@tensorflow/tfjs'

/** Attributes of both DepthwiseConv2dNativeBackprop kernels (tfjs-core passes the same ones to each). */
export interface DepthwiseBackpropAttrs {
  strides: number | [number, number]
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding
  dilations: number | [number, number]
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

/** The part of the WASM backend these kernels use. */
export interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo
  typedArrayFromHeap(t: { shape: number[]; dtype: 'float32'; dataId: DataId }): Float32Array
}

/** Geometry of a depthwise convolution, NHWC, with `multiplier` outputs per input channel. */
export interface DepthwiseGeometry {
  batch: number
  inHeight: number
  inWidth: number
  channels: number
  multiplier: number
  outHeight: number
  outWidth: number
  filterHeight: number
  filterWidth: number
  strideHeight: number
  strideWidth: number
  /** Padding rows above / columns left of the input (the rest of 'same' padding goes below / right). */
  top: number
  left: number
}

/** The geometry, or an error naming the kernel and what it does not support (dilation ≠ 1, non-float32). */
export function depthwiseGeometry(
  kernel: string,
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: DepthwiseBackpropAttrs,
  dtypes: readonly string[]
): DepthwiseGeometry {
  const dilations = typeof attrs.dilations === 'number' ? [attrs.dilations, attrs.dilations] : (attrs.dilations ?? [1, 1])
  if (dilations[0] !== 1 || dilations[1] !== 1) {
    throw new Error(`${kernel} on wasm supports only dilation 1 (got ${dilations.join('×')}); use an undilated depthwise layer`)
  }
  if (dtypes.some((d) => d !== 'float32')) throw new Error(`${kernel} on wasm supports only float32 tensors (got ${dtypes.join(', ')})`)
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    true
  )
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    channels: info.inChannels,
    multiplier: info.outChannels / info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    top: info.padInfo.top,
    left: info.padInfo.left
  }
}

/** A float32 view of a tensor on the WASM heap; take views only after every allocation (it may grow the heap). */
export function heapView(heap: WasmHeap, t: TensorInfo): Float32Array {
  return heap.typedArrayFromHeap({ shape: [...t.shape], dtype: 'float32', dataId: t.dataId })
}
