/**
 * Conv2D and FusedConv2D (bias, then linear or relu) for the WASM backend by our WebAssembly SIMD kernels
 * (native/kernels.c), with fused multiply-adds where the engine has them, split across the backend's threads;
 * the input gradients, which run as convolutions, gain with them. 3×3 stride-1 convolutions go by Winograd
 * F(2×2, 3×3) (2.25× fewer multiplications); others with output channels in multiples of 8 by a tile of
 * 4 pixels × 8 channels kept in registers over the whole filter (about 0.6× XNNPACK's time); fewer than 8
 * output channels (a first layer's input gradient has 1) by one dot product per output. The rest (fewer than
 * 4 input channels, output channels above 8 off the tile, dilation, other activations) keep the stock kernels.
 */
import * as tf from '@tensorflow/tfjs'
import type { Conv2DAttrs, FusedConv2DAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs'
import { CONV_CO_TILE, heapOffset, nativeKernelsOf, winogradFits, type ConvShape } from './native/native-kernels'
import { overStock, type KernelArgs } from './stock-kernel'

/** Below this many input channels a tile does too little work per weight load; XNNPACK is faster there. */
const MIN_IN_CHANNELS = 4

/** The part of the WASM backend this kernel uses. */
interface WasmOutputs {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo
  disposeData(dataId: object): void
}

/** The convolution by the native kernel, or null when the stock kernel must answer. */
function nativeConv2d(args: KernelArgs): TensorInfo | null {
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>
  const attrs = args.attrs as unknown as Conv2DAttrs & Partial<Pick<FusedConv2DAttrs, 'activation'>>
  const activation = attrs.activation ?? 'linear'
  if (!x || !filter || x.dtype !== 'float32' || filter.dtype !== 'float32' || preluActivationWeights) return null
  if (activation !== 'linear' && activation !== 'relu') return null
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat)
  )
  const plain = info.dataFormat === 'channelsLast' && info.dilationHeight === 1 && info.dilationWidth === 1
  const tiles = info.outChannels % CONV_CO_TILE === 0 && info.inChannels >= MIN_IN_CHANNELS
  const narrow = info.outChannels < CONV_CO_TILE && info.inChannels % 4 === 0
  if (!plain || !(tiles || narrow)) return null
  const biasSize = bias ? bias.shape.reduce((a, b) => a * b, 1) : 0
  if (bias && (bias.dtype !== 'float32' || biasSize !== info.outChannels)) return null
  const backend = args.backend as unknown as WasmOutputs & object
  const y = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, info.outChannels], 'float32')
  const at = (t: TensorInfo): number => heapOffset(backend, t.dataId)
  const shape: ConvShape = {
    n: info.batchSize,
    h: info.inHeight,
    w: info.inWidth,
    ci: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    co: info.outChannels,
    fh: info.filterHeight,
    fw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    top: info.padInfo.top,
    left: info.padInfo.left
  }
  const buffers = { x: at(x), w: at(filter), bias: bias ? at(bias) : 0, y: at(y), relu: activation === 'relu' }
  const kernels = nativeKernelsOf(backend)
  if (!winogradFits(shape)) {
    kernels.convForward(shape, buffers)
    return y
  }
  const temps: TensorInfo[] = []
  try {
    kernels.convWinograd(shape, buffers, (floats) => {
      temps.push(backend.makeOutput([floats], 'float32'))
      return at(temps[temps.length - 1]!)
    })
  } finally {
    for (const t of temps) backend.disposeData(t.dataId)
  }
  return y
}

export function conv2dConfigs(): KernelConfig[] {
  return ['Conv2D', 'FusedConv2D'].map((name) => overStock(name, (args, stock) => nativeConv2d(args) ?? stock(args)))
}
