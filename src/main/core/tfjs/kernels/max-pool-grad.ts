/**
 * MaxPoolGrad for the WASM backend when windows tile the input (k×k pool, stride k, any padding).
 * The stock kernel is a generic scalar loop. Here, for each window and channel, dy goes to the first cell
 * (row-major, as TensorFlow picks) equal to the window's max, in one pass of our WebAssembly SIMD kernel
 * (native/kernels.c) over four channels at a time. Padded cells never win.
 * Overlapping windows use the stock kernel.
 */
import * as tf from '@tensorflow/tfjs'
import type { KernelConfig, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs'
import { heapOffset, nativeKernelsOf } from './native/native-kernels'
import { overStock } from './stock-kernel'

/** The part of the WASM backend this kernel uses. */
interface WasmOutputs {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo
}

/** dx for tiling k×k windows whose first row/column start `top`/`left` cells before the input. */
function tiledMaxPoolGrad(x: TensorInfo, y: TensorInfo, dy: TensorInfo, k: number, top: number, left: number, backend: object): TensorInfo {
  const dx = (backend as WasmOutputs).makeOutput([...x.shape], 'float32')
  const at = (t: TensorInfo): number => heapOffset(backend, t.dataId)
  nativeKernelsOf(backend).maxPoolGradTiled({
    x: at(x),
    y: at(y),
    dy: at(dy),
    dx: at(dx),
    shape: x.shape,
    outH: y.shape[1]!,
    outW: y.shape[2]!,
    k,
    top,
    left
  })
  return dx
}

export function maxPoolGradConfig(): KernelConfig {
  return overStock('MaxPoolGrad', (args, stock) => {
    const x = args.inputs.input as tf.Tensor4D
    const y = args.inputs.output as tf.Tensor4D
    const dy = args.inputs.dy as tf.Tensor4D
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs
    const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode)
    const k = info.filterHeight
    const { top, left } = info.padInfo
    const tiles = info.filterWidth === k && info.strideHeight === k && info.strideWidth === k && x.dtype === 'float32'
    if (!tiles || k < 2) return stock(args)
    return tiledMaxPoolGrad(x, y, dy, k, top, left, args.backend)
  })
}
