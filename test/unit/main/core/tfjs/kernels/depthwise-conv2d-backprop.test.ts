/**
 * The project's DepthwiseConv2dNativeBackpropFilter / …BackpropInput on wasm against the stock cpu
 * backend's kernels: odd sizes, stride 1 and 2, both paddings (TF's asymmetric 'same'), multiplier 1 and 2.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { depthwiseConv2dBackpropFilterConfig } from '@main/core/tfjs/kernels/depthwise-conv2d-backprop-filter'
import { depthwiseConv2dBackpropInputConfig } from '@main/core/tfjs/kernels/depthwise-conv2d-backprop-input'
import { randomValues, runOn, relativeError } from '../../../../../helpers/compare-backends'

interface Case {
  batch: number
  size: [number, number]
  channels: number
  multiplier: number
  kernel: [number, number]
  stride: 1 | 2
  pad: 'same' | 'valid'
}

const CASES: Case[] = [
  { batch: 4, size: [28, 28], channels: 32, multiplier: 1, kernel: [3, 3], stride: 1, pad: 'same' },
  { batch: 3, size: [14, 14], channels: 8, multiplier: 2, kernel: [3, 3], stride: 1, pad: 'same' },
  { batch: 2, size: [13, 11], channels: 5, multiplier: 1, kernel: [3, 3], stride: 2, pad: 'same' },
  { batch: 2, size: [12, 9], channels: 6, multiplier: 2, kernel: [3, 3], stride: 2, pad: 'same' },
  { batch: 3, size: [15, 12], channels: 7, multiplier: 1, kernel: [3, 3], stride: 2, pad: 'valid' },
  { batch: 2, size: [11, 13], channels: 3, multiplier: 2, kernel: [5, 3], stride: 1, pad: 'valid' },
  { batch: 1, size: [10, 10], channels: 9, multiplier: 1, kernel: [4, 4], stride: 2, pad: 'same' },
  { batch: 2, size: [7, 7], channels: 16, multiplier: 3, kernel: [2, 2], stride: 1, pad: 'same' },
  { batch: 5, size: [6, 6], channels: 1, multiplier: 2, kernel: [1, 1], stride: 2, pad: 'valid' }
]

/** Forward output, input gradient and filter gradient of one depthwise convolution. */
function depthwiseGrads(c: Case): () => tf.Tensor[] {
  const xShape: [number, number, number, number] = [c.batch, c.size[0], c.size[1], c.channels]
  const wShape: [number, number, number, number] = [c.kernel[0], c.kernel[1], c.channels, c.multiplier]
  const xVals = randomValues(
    xShape.reduce((a, b) => a * b),
    11
  )
  const wVals = randomValues(
    wShape.reduce((a, b) => a * b),
    12
  )
  return () => {
    const x = tf.tensor4d(xVals, xShape)
    const w = tf.tensor4d(wVals, wShape)
    const conv = (a: tf.Tensor, b: tf.Tensor): tf.Tensor4D => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad)
    const y = conv(x, w)
    const dy = tf.tensor(randomValues(y.size, 13), y.shape)
    const [dx, dw] = tf.grads(conv)([x, w], dy)
    return [y, dx, dw]
  }
}

describe('DepthwiseConv2dNativeBackpropFilter and …BackpropInput on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each(CASES)('match cpu for %o', async (c) => {
    const compute = depthwiseGrads(c)
    const expected = await runOn('cpu', compute)
    const actual = await runOn('wasm', compute)
    expect(tf.getBackend()).toBe('wasm')
    const [dy, dx, dw] = actual.map((a, i) => relativeError(a, expected[i]))
    expect(dy).toBeLessThan(1e-5)
    expect(dx).toBeLessThan(1e-6)
    expect(dw).toBeLessThan(1e-6)
  })

  it("are the project's kernels on wasm, and give the gradients worked out by hand", async () => {
    await tf.setBackend('wasm')
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')?.kernelFunc).toBe(depthwiseConv2dBackpropFilterConfig.kernelFunc)
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropInput', 'wasm')?.kernelFunc).toBe(depthwiseConv2dBackpropInputConfig.kernelFunc)
    // x = 1..9 in a 3×3 one-channel image, a 2×2 filter of ones, stride 1, valid, loss = sum of outputs:
    // each weight's gradient is the sum of the four pixels it met; each pixel's, the number of windows over it.
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1])
    const w = tf.ones([2, 2, 1, 1]) as tf.Tensor4D
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid').sum())([
      x,
      w
    ])
    expect(tf.getBackend()).toBe('wasm')
    expect(Array.from(await dw.data())).toEqual([12, 16, 24, 28])
    expect(Array.from(await dx.data())).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1])
    tf.dispose([x, w, dx, dw])
  })

  it('refuses a dilated depthwise gradient with a message naming the dilation', async () => {
    await tf.setBackend('wasm')
    const x = tf.ones([1, 6, 6, 2]) as tf.Tensor4D
    const dy = tf.ones([1, 2, 2, 2]) as tf.Tensor4D
    const attrs = { strides: 1, pad: 'valid', dilations: 2, filterShape: [3, 3, 2, 1] }
    expect(() => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs)).toThrow(
      /DepthwiseConv2dNativeBackpropFilter on wasm supports only dilation 1 \(got 2×2\)/
    )
    tf.dispose([x, dy])
  })
})
