import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { randomValues, wasmVersusCpu } from '../../../../../helpers/compare-backends'

interface Case {
  batch: number
  size: [number, number]
  inChannels: number
  outChannels: number
  kernel: [number, number]
  stride: number | [number, number]
  pad: 'same' | 'valid'
}

const CASES: Case[] = [
  { batch: 4, size: [28, 28], inChannels: 1, outChannels: 8, kernel: [3, 3], stride: 1, pad: 'valid' },
  { batch: 3, size: [14, 14], inChannels: 6, outChannels: 5, kernel: [3, 3], stride: 1, pad: 'same' },
  { batch: 2, size: [9, 12], inChannels: 3, outChannels: 4, kernel: [4, 2], stride: 1, pad: 'same' },
  { batch: 2, size: [11, 10], inChannels: 2, outChannels: 3, kernel: [5, 3], stride: 1, pad: 'valid' },
  { batch: 2, size: [13, 11], inChannels: 3, outChannels: 4, kernel: [3, 3], stride: 2, pad: 'valid' },
  { batch: 2, size: [12, 9], inChannels: 4, outChannels: 6, kernel: [3, 3], stride: 2, pad: 'same' },
  // small-resnet's strided block and its 1×1 projection; odd sides leave the spread dy longer than needed.
  { batch: 3, size: [28, 28], inChannels: 8, outChannels: 16, kernel: [3, 3], stride: 2, pad: 'same' },
  { batch: 2, size: [7, 7], inChannels: 5, outChannels: 6, kernel: [1, 1], stride: 2, pad: 'same' },
  { batch: 2, size: [14, 13], inChannels: 4, outChannels: 3, kernel: [1, 1], stride: 2, pad: 'valid' },
  { batch: 2, size: [12, 15], inChannels: 3, outChannels: 2, kernel: [4, 3], stride: 2, pad: 'valid' },
  // Phases with no filter tap (kernel 2, stride 3), unequal strides, and a kernel wider than twice the stride.
  { batch: 2, size: [10, 11], inChannels: 3, outChannels: 4, kernel: [2, 2], stride: 3, pad: 'same' },
  { batch: 2, size: [9, 10], inChannels: 2, outChannels: 3, kernel: [3, 2], stride: [2, 1], pad: 'same' },
  { batch: 2, size: [11, 13], inChannels: 3, outChannels: 5, kernel: [5, 5], stride: 2, pad: 'same' },
  { batch: 2, size: [16, 16], inChannels: 4, outChannels: 4, kernel: [2, 2], stride: 2, pad: 'valid' }
]

describe('Conv2DBackpropInput on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each(CASES)('matches cpu for %o', async (c) => {
    const xShape: [number, number, number, number] = [c.batch, c.size[0], c.size[1], c.inChannels]
    const wShape: [number, number, number, number] = [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels]
    const xVals = randomValues(
      xShape.reduce((a, b) => a * b),
      11
    )
    const wVals = randomValues(
      wShape.reduce((a, b) => a * b),
      12
    )
    const err = await wasmVersusCpu(() => {
      const x = tf.tensor4d(xVals, xShape)
      const w = tf.tensor4d(wVals, wShape)
      const y = tf.conv2d(x, w, c.stride, c.pad)
      const dy = tf.tensor4d(randomValues(y.size, 13), y.shape as [number, number, number, number])
      // The op the gradient of conv2d calls for its input, plus conv2dTranspose which runs the same kernel.
      const [dx] = tf.grads((a: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, w, c.stride, c.pad))([x], dy)
      const transposed = tf.conv2dTranspose(dy, w, xShape, c.stride, c.pad)
      return [dx, transposed]
    })
    expect(err).toBeLessThan(1e-4)
  })
})
