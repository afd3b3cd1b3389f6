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
 * dx[i] = Σ_r spread[i + top − r]·W[r] is a valid correlation with the flipped filter over the spread dy
 * preceded by fh − 1 − top zeros and read up to row inHeight + top − 1 (past its end: zeros). Returns that
 * dy (spread and cut when needed) and the explicit padding for a stride-1 forward convolution.
 */
export function asFullCorrelation(dy: Tensor4D, g: ForwardGeometry): { src: Tensor4D; pad: tf.backend_util.ExplicitPadding } {
  const spread = g.strideHeight === 1 && g.strideWidth === 1 ? dy : spreadOut(dy, g.strideHeight, g.strideWidth)
  const below = g.inHeight + g.top - spread.shape[1]
  const right = g.inWidth + g.left - spread.shape[2]
  const src =
    below < 0 || right < 0
      ? tf.slice(
          spread,
          [0, 0, 0, 0],
          [-1, Math.min(spread.shape[1], g.inHeight + g.top), Math.min(spread.shape[2], g.inWidth + g.left), -1]
        )
      : spread
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [g.filterHeight - 1 - g.top, Math.max(0, below)],
    [g.filterWidth - 1 - g.left, Math.max(0, right)],
    [0, 0]
  ]
  return { src, pad }
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
    return tf.tidy(() => {
      const flipped = tf.transpose(flipSpatially(filter), [0, 1, 3, 2]) // [fh, fw, Co, Ci]
      const { src, pad } = asFullCorrelation(dy, { ...info, top: info.padInfo.top, left: info.padInfo.left })
      return tf.conv2d(src, flipped, 1, pad)
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
