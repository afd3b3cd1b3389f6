/**
 * Conv2DBackpropFilter for the WASM backend, which ships without it:
 * dW[r,s,ci,co] = Σ_{n,h,w} x[n, h·sh + r − top, w·sw + s − left, ci] · dy[n,h,w,co], by our WebAssembly SIMD
 * kernel (native/kernels.c) on the backend's heap, split across its threads.
 * Every formulation through tf.js's own kernels was a product over the long N·H·W axis whose one operand, as large
 * as an activation, XNNPACK repacked on every call (11–13 GMAC/s on two threads, 2 GMAC/s for a first layer);
 * the direct kernel keeps a tile of dW in registers over the whole batch (about 30 GMAC/s on two threads).
 */
import * as tf from '@tensorflow/tfjs'
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs'
import { heapOffset, nativeKernelsOf } from './native/native-kernels'

/** The part of the WASM backend this kernel uses. */
interface WasmOutputs {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo
}

function conv2dBackpropFilter({ inputs, attrs, backend }: Parameters<KernelFunc>[0]): TensorInfo {
  const x = inputs.x as TensorInfo
  const dy = inputs.dy as TensorInfo
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat)
  )
  if (info.dataFormat !== 'channelsLast') throw new Error('Conv2DBackpropFilter on wasm supports only NHWC (channelsLast) data')
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error('Conv2DBackpropFilter on wasm supports only float32 tensors')
  const dw = (backend as unknown as WasmOutputs).makeOutput([...filterShape], 'float32')
  const [n, h, w, ci] = x.shape as [number, number, number, number]
  nativeKernelsOf(backend).convFilterGrad(
    {
      n,
      h,
      w,
      ci,
      outH: info.outHeight,
      outW: info.outWidth,
      co: info.outChannels,
      fh: info.filterHeight,
      fw: info.filterWidth,
      sh: info.strideHeight,
      sw: info.strideWidth,
      top: info.padInfo.top,
      left: info.padInfo.left
    },
    { x: heapOffset(backend, x.dataId), dy: heapOffset(backend, dy.dataId), dw: heapOffset(backend, dw.dataId) }
  )
  return dw
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc
}
