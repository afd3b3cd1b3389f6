/**
 * Conv2DBackpropInput for the WASM backend. The stock kernel is a naive loop; for stride 1 the input gradient
 * is a forward convolution of dy with the spatially flipped, in/out-swapped filter ("full" padding minus the
 * forward padding), which runs on XNNPACK. Other strides fall back to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs'
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, Tensor4D } from '@tensorflow/tfjs'

/**
 * The filter reversed along its two spatial axes. The stock Reverse kernel is a slow element loop; the
 * fh·fw spatial taps are contiguous rows of Ci·Co values, so copying them in reverse order is the same.
 */
export function flipSpatially(filter: Tensor4D): Tensor4D {
  const [fh, fw, ci, co] = filter.shape
  const rows = tf.reshape(filter, [fh * fw, ci * co])
  const taps: tf.Tensor[] = []
  for (let i = fh * fw - 1; i >= 0; i--) taps.push(tf.slice(rows, [i, 0], [1, ci * co]))
  return tf.reshape(tf.concat(taps, 0), filter.shape)
}

/** Builds the kernel around the stock one, which still handles strides other than 1. */
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
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dataFormat !== 'channelsLast') {
      if (!stock) throw new Error('Conv2DBackpropInput on wasm: strides other than 1 need the stock kernel, which is missing')
      return stock(args)
    }
    const { filterHeight: fh, filterWidth: fw } = info
    const { top, bottom, left, right } = info.padInfo
    return tf.tidy(() => {
      const flipped = tf.transpose(flipSpatially(filter), [0, 1, 3, 2]) // [fh, fw, Co, Ci]
      const explicit: [[number, number], [number, number], [number, number], [number, number]] = [
        [0, 0],
        [fh - 1 - top, fh - 1 - bottom],
        [fw - 1 - left, fw - 1 - right],
        [0, 0]
      ]
      return tf.conv2d(dy, flipped, 1, explicit)
    })
  }
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: conv2dBackpropInput as KernelFunc,
    // The stock kernel binds its WASM function in its setup; keep that so the fallback works.
    setupFunc: stockConfig?.setupFunc
  }
}
