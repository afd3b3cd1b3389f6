/**
 * Conv2DBackpropFilter for the WASM backend, which ships without it.
 * dW[r,s,ci,co] = Σ_{n,h,w} x[n, h·sh + r − top, w·sw + s − left, ci] · dy[n,h,w,co] is itself a convolution:
 * take channels of x as the batch and the batch as channels, use dy as a filter dilated by the stride,
 * and XNNPACK's forward Conv2D does the work. That "filter" is as large as the activation and XNNPACK repacks
 * it on every call, which dominates when the input has few channels (a network's first layer); there the
 * patches are extracted instead, by a forward convolution with a one-hot filter (exact for finite inputs: each output is one
 * input times 1), and one matrix product patchesᵀ·dy gives dW (transposing the narrow patch matrix is cheaper than
 * transposing dy, whose channels are its innermost axis).
 * XNNPACK repacks the "filter" operand on every call at about three times a transpose's cost per element, so for
 * stride 1, when x is the smaller tensor (fewer input than output channels), the roles swap: dy is the input
 * and x the filter, which gives dW spatially flipped with its channel axes swapped.
 */
import * as tf from '@tensorflow/tfjs'
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, Tensor4D } from '@tensorflow/tfjs'
import { flipSpatially } from './conv2d-backprop-input'

/** Largest fh·fw·Ci for which the patch path runs: patch extraction costs (fh·fw·Ci)² per output pixel. */
const MAX_PATCH_WIDTH = 32

/** dW via explicit patches: `[N·Ho·Wo, fh·fw·Ci]`ᵀ · `[N·Ho·Wo, Co]`, reshaped to the filter shape. */
function viaPatches(x: Tensor4D, dy: Tensor4D, attrs: Conv2DBackpropFilterAttrs): tf.Tensor {
  const [fh, fw, ci, co] = attrs.filterShape
  const width = fh * fw * ci
  // oneHot[r, s, c, k] = 1 where k = (r·fw + s)·ci + c: output channel k of the convolution is patch element k.
  const oneHot = tf.reshape(tf.eye(width), [fh, fw, ci, width]) as Tensor4D
  const patches = tf.conv2d(x, oneHot, attrs.strides, attrs.pad, 'NHWC', 1, attrs.dimRoundingMode)
  const rows = patches.size / width
  const dW = tf.matMul(tf.reshape(patches, [rows, width]), tf.reshape(dy, [rows, co]), true, false)
  return tf.reshape(dW, attrs.filterShape)
}

function conv2dBackpropFilter({ inputs, attrs }: Parameters<KernelFunc>[0]): tf.Tensor {
  const x = inputs.x as Tensor4D
  const dy = inputs.dy as Tensor4D
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat)
  )
  if (info.dataFormat !== 'channelsLast') throw new Error('Conv2DBackpropFilter on wasm supports only NHWC (channelsLast) data')
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, outHeight: oh, outWidth: ow } = info
  const { top, left } = info.padInfo
  if (fh * fw * info.inChannels <= MAX_PATCH_WIDTH) return tf.tidy(() => viaPatches(x, dy, attrs as unknown as Conv2DBackpropFilterAttrs))
  // dW[r, s] = Σ x[i, j]·dy[i + top − r, j + left − s]: with x as the filter over (i, j), output row u = fh − 1 − r
  // reads dy padded by fh − 1 − top above and H − Ho + top below.
  const below = info.inHeight - oh + top
  const after = info.inWidth - ow + left
  if (sh === 1 && sw === 1 && x.size < dy.size && below >= 0 && after >= 0) {
    return tf.tidy(() => {
      const dyT = tf.transpose(dy, [3, 1, 2, 0]) // [Co, Ho, Wo, N]
      const xF = tf.transpose(x, [1, 2, 0, 3]) // [H, W, N, Ci]
      const explicit: [[number, number], [number, number], [number, number], [number, number]] = [
        [0, 0],
        [fh - 1 - top, below],
        [fw - 1 - left, after],
        [0, 0]
      ]
      const flipped = tf.conv2d(dyT, xF, 1, explicit) // [Co, fh, fw, Ci], taps reversed
      return flipSpatially(tf.transpose(flipped, [1, 2, 3, 0]))
    })
  }
  return tf.tidy(() => {
    // Rows/cols the strided windows actually reach; anything below/right of that never touches dW.
    let bottom = fh - 1 + (oh - 1) * sh + 1 - info.inHeight - top
    let right = fw - 1 + (ow - 1) * sw + 1 - info.inWidth - left
    let src: Tensor4D = x
    if (bottom < 0 || right < 0) {
      src = tf.slice(x, [0, 0, 0, 0], [-1, info.inHeight + Math.min(bottom, 0), info.inWidth + Math.min(right, 0), -1])
      bottom = Math.max(bottom, 0)
      right = Math.max(right, 0)
    }
    const xT = tf.transpose(src, [3, 1, 2, 0]) // [Ci, H, W, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) // [Ho, Wo, N, Co]
    const explicit: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0]
    ]
    const dW = tf.conv2d(xT, dyT, 1, explicit, 'NHWC', [sh, sw]) // [Ci, fh, fw, Co]
    return tf.transpose(dW, [1, 2, 0, 3])
  })
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc
}
