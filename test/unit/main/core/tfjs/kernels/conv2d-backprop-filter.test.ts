import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { conv2dBackpropFilterConfig } from '@main/core/tfjs/kernels/conv2d-backprop-filter'
import { randomValues, wasmVersusCpu } from '../../../../../helpers/compare-backends'

interface Case {
  batch: number
  size: [number, number]
  inChannels: number
  outChannels: number
  kernel: [number, number]
  stride: 1 | 2
  pad: 'same' | 'valid'
}

const CASES: Case[] = [
  { batch: 4, size: [28, 28], inChannels: 1, outChannels: 8, kernel: [3, 3], stride: 1, pad: 'valid' },
  { batch: 3, size: [14, 14], inChannels: 5, outChannels: 7, kernel: [3, 3], stride: 1, pad: 'same' },
  { batch: 2, size: [13, 11], inChannels: 3, outChannels: 4, kernel: [3, 2], stride: 2, pad: 'valid' },
  { batch: 2, size: [12, 9], inChannels: 4, outChannels: 6, kernel: [5, 3], stride: 2, pad: 'same' },
  { batch: 5, size: [7, 7], inChannels: 16, outChannels: 3, kernel: [1, 1], stride: 2, pad: 'valid' },
  { batch: 1, size: [10, 10], inChannels: 2, outChannels: 2, kernel: [4, 4], stride: 1, pad: 'same' },
  // Stride 1 with fewer input than output channels: x is the smaller tensor and becomes the filter.
  { batch: 3, size: [14, 14], inChannels: 5, outChannels: 9, kernel: [3, 3], stride: 1, pad: 'same' },
  { batch: 2, size: [9, 11], inChannels: 6, outChannels: 10, kernel: [3, 2], stride: 1, pad: 'valid' },
  { batch: 2, size: [10, 9], inChannels: 6, outChannels: 7, kernel: [4, 4], stride: 1, pad: 'same' },
  // Few input channels (fh·fw·Ci ≤ 32) take the patch path.
  { batch: 6, size: [28, 28], inChannels: 1, outChannels: 32, kernel: [3, 3], stride: 1, pad: 'same' },
  { batch: 3, size: [15, 12], inChannels: 1, outChannels: 5, kernel: [3, 3], stride: 2, pad: 'same' },
  { batch: 2, size: [11, 13], inChannels: 1, outChannels: 3, kernel: [5, 5], stride: 2, pad: 'valid' }
]

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each(CASES)('matches cpu for %o', async (c) => {
    const xShape: [number, number, number, number] = [c.batch, c.size[0], c.size[1], c.inChannels]
    const wShape: [number, number, number, number] = [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels]
    const xVals = randomValues(
      xShape.reduce((a, b) => a * b),
      1
    )
    const wVals = randomValues(
      wShape.reduce((a, b) => a * b),
      2
    )
    const err = await wasmVersusCpu(() => {
      const x = tf.tensor4d(xVals, xShape)
      const w = tf.tensor4d(wVals, wShape)
      const y = tf.conv2d(x, w, c.stride, c.pad)
      const dy = tf.tensor(randomValues(y.size, 3), y.shape)
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad))([x, w], dy)
      return [y, dx, dw]
    })
    expect(err).toBeLessThan(1e-4)
  })

  it("is the project's kernel on wasm, and gives the filter gradient worked out by hand", async () => {
    await tf.setBackend('wasm')
    // The stock WASM backend has no Conv2DBackpropFilter; the one registered is the project's.
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2dBackpropFilterConfig.kernelFunc)
    // x = 1..9 in a 3×3 image, a 2×2 filter, stride 1, valid, dy = 1 everywhere: each filter weight's
    // gradient is the sum of the four pixels it met, 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9.
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1])
    const dw = tf.grad((w: tf.Tensor) => tf.conv2d(x, w as tf.Tensor4D, 1, 'valid').sum())(tf.zeros([2, 2, 1, 1]))
    expect(tf.getBackend()).toBe('wasm')
    expect(dw.shape).toEqual([2, 2, 1, 1])
    expect(Array.from(await dw.data())).toEqual([12, 16, 24, 28])
    tf.dispose([x, dw])
  })
})
