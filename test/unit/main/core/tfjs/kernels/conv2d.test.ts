import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '@main/core/tfjs/backend'
import { randomValues, wasmVersusCpu } from '../../../../../helpers/compare-backends'

interface Case {
  x: [number, number, number, number]
  filter: [number, number, number, number]
  stride: number
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]]
  activation: 'linear' | 'relu' | 'elu'
  bias: boolean
  dilation?: number
}

const CASES: Case[] = [
  // The native kernel: channels in tiles of 8, linear or relu, bias or not, stride 1 or 2, any padding.
  { x: [4, 12, 11, 8], filter: [3, 3, 8, 16], stride: 1, pad: 'same', activation: 'relu', bias: true },
  { x: [3, 13, 9, 6], filter: [3, 3, 6, 8], stride: 2, pad: 'valid', activation: 'linear', bias: false },
  { x: [2, 9, 10, 5], filter: [5, 3, 5, 24], stride: 2, pad: 'same', activation: 'linear', bias: true },
  {
    x: [2, 6, 7, 4],
    filter: [2, 2, 4, 8],
    stride: 1,
    pad: [
      [0, 0],
      [1, 0],
      [0, 2],
      [0, 0]
    ],
    activation: 'relu',
    bias: false
  },
  // Few output channels: one dot product per output (a first layer's input gradient convolves with co = 1).
  { x: [3, 10, 9, 32], filter: [3, 3, 32, 1], stride: 1, pad: 'same', activation: 'linear', bias: false },
  { x: [2, 8, 8, 8], filter: [3, 3, 8, 5], stride: 2, pad: 'valid', activation: 'relu', bias: true },
  // The stock kernel: too few input channels, channels off both tiles, another activation, dilation.
  { x: [2, 10, 10, 1], filter: [3, 3, 1, 8], stride: 1, pad: 'same', activation: 'relu', bias: true },
  { x: [2, 8, 8, 8], filter: [3, 3, 8, 10], stride: 1, pad: 'same', activation: 'relu', bias: true },
  { x: [2, 8, 8, 8], filter: [3, 3, 8, 8], stride: 1, pad: 'same', activation: 'elu', bias: true },
  { x: [2, 9, 9, 8], filter: [3, 3, 8, 8], stride: 1, pad: 'same', activation: 'linear', bias: false, dilation: 2 }
]

describe('Conv2D and FusedConv2D on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each(CASES)('match cpu, with their gradients, for %o', async (c) => {
    const xVals = randomValues(
      c.x.reduce((a, b) => a * b),
      21
    )
    const wVals = randomValues(
      c.filter.reduce((a, b) => a * b),
      22
    )
    const bVals = randomValues(c.filter[3], 23)
    const err = await wasmVersusCpu(() => {
      const x = tf.tensor4d(xVals, c.x)
      const w = tf.tensor4d(wVals, c.filter)
      const bias = c.bias ? tf.tensor1d(bVals) : undefined
      const conv = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
        tf.fused.conv2d({
          x: a as tf.Tensor4D,
          filter: b as tf.Tensor4D,
          strides: c.stride,
          pad: c.pad,
          dilations: c.dilation ?? 1,
          bias,
          activation: c.activation
        })
      const y = conv(x, w)
      const dy = tf.tensor(randomValues(y.size, 24), y.shape)
      // tf.js has no gradient for dilated convolutions.
      const grads = c.dilation ? [] : tf.grads(conv)([x, w], dy)
      return [y, tf.conv2d(x, w, c.stride, c.pad, 'NHWC', c.dilation ?? 1), ...grads]
    })
    expect(err).toBeLessThan(1e-4)
  })
})
