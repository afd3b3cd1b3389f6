/**
 * Conv2DBackpropInput for the WASM backend. The stock kernel is a naive loop; the input gradient is a forward
 * convolution of dy with the spatially flipped, in/out-swapped filter ("full" padding minus the forward
 * padding), which runs on XNNPACK. For stride s, dy is first spread out with s − 1 zeros between its rows and
 * columns: most of that convolution multiplies zeros, yet on XNNPACK it beats the naive loop many times over
 * (small-resnet's strided 3×3 block spent 263 ms of a 1.3 s step there). NCHW data falls back to the stock kernel.
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

/** dy with `sh − 1` zero rows after each row and `sw − 1` zero columns after each column. */
function spreadOut(dy: Tensor4D, sh: number, sw: number): Tensor4D {
  const [n, oh, ow, c] = dy.shape
  const cells = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, c]), [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0]
  ])
  return tf.reshape(cells, [n, oh * sh, ow * sw, c])
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
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, inHeight, inWidth } = info
    const { top, left } = info.padInfo
    return tf.tidy(() => {
      const flipped = tf.transpose(flipSpatially(filter), [0, 1, 3, 2]) // [fh, fw, Co, Ci]
      // dx[i] = Σ_r spread[i + top − r]·W[r]: a valid correlation with the flipped filter over the spread dy
      // preceded by fh − 1 − top zeros, reading spread rows up to inHeight + top − 1 (past its end: zeros).
      const spread = sh === 1 && sw === 1 ? dy : spreadOut(dy, sh, sw)
      const below = inHeight + top - spread.shape[1]
      const after = inWidth + left - spread.shape[2]
      const src =
        below < 0 || after < 0
          ? tf.slice(spread, [0, 0, 0, 0], [-1, Math.min(spread.shape[1], inHeight + top), Math.min(spread.shape[2], inWidth + left), -1])
          : spread
      const explicit: [[number, number], [number, number], [number, number], [number, number]] = [
        [0, 0],
        [fh - 1 - top, Math.max(0, below)],
        [fw - 1 - left, Math.max(0, after)],
        [0, 0]
      ]
      return tf.conv2d(src, flipped, 1, explicit)
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
