/**
 * Architecture files train through the trainer's own step: residual blocks, projections, average
 * pooling and every activation on WASM (with the project's kernels); depthwise and separable
 * convolutions only where tf.js has their gradient kernels (the stock cpu backend), because the WASM
 * backend has no DepthwiseConv2dNativeBackpropInput / …BackpropFilter.
 */
import * as tf from '@tensorflow/tfjs'
import { afterAll, describe, expect, it } from 'vitest'
import type { Architecture, LayerInput } from '@shared/architecture/architecture-schema'
import type { ImageShape } from '@shared/dataset'
import { parseArchitecture } from '@shared/architecture/parse-architecture'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel } from '@main/core/trainer/architectures'
import { createTrainStep } from '@main/core/trainer/train-step'

const SIDE = 8
const CLASSES = 4
const shape: ImageShape = { height: SIDE, width: SIDE, channels: 3 }

function parse(layers: LayerInput[]): Architecture {
  const result = parseArchitecture({ name: 'training test', layers })
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'))
  return result.architecture
}

/** Residual blocks with and without projection, average pooling and every activation: what WASM can train. */
const RESIDUAL = parse([
  { kind: 'conv2d', filters: 8, kernel: 3, padding: 'same', activation: 'leakyRelu' },
  { kind: 'residual', layers: [{ kind: 'conv2d', filters: 8, kernel: 3, padding: 'same', activation: 'gelu' }, { kind: 'batchNorm' }] },
  {
    kind: 'residual',
    layers: [{ kind: 'conv2d', filters: 12, kernel: 3, stride: 2, padding: 'same', activation: 'swish' }, { kind: 'elu' }]
  },
  { kind: 'avgPool', size: 2 },
  { kind: 'tanh' },
  { kind: 'globalAvgPool' },
  { kind: 'residual', layers: [{ kind: 'dense', units: 16, activation: 'sigmoid' }] },
  { kind: 'dropout', rate: 0.1 },
  { kind: 'output' }
])

/** A residual block of separable convolutions (depthwise kernels inside), as small-resnet would use them. */
const RESIDUAL_SEPARABLE = parse([
  { kind: 'conv2d', filters: 8, kernel: 3, padding: 'same', activation: 'relu' },
  {
    kind: 'residual',
    layers: [
      { kind: 'separableConv2d', filters: 12, kernel: 3, stride: 2, padding: 'same', activation: 'relu' },
      { kind: 'depthwiseConv2d', kernel: 3, padding: 'same' }
    ]
  },
  { kind: 'globalAvgPool' },
  { kind: 'output' }
])

/** 8×8 RGB images whose class is their brightest channel (class 3: all three), with pixel noise. */
function batch(n: number, seed: number): { xs: tf.Tensor4D; labels: tf.Tensor1D } {
  const pixels = new Float32Array(n * SIDE * SIDE * 3)
  const labels = new Int32Array(n)
  let s = seed
  const noise = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24) / 255
  for (let i = 0; i < n; i++) {
    labels[i] = i % CLASSES
    for (let p = 0; p < SIDE * SIDE; p++) {
      for (let c = 0; c < 3; c++) pixels[(i * SIDE * SIDE + p) * 3 + c] = (labels[i] === 3 || labels[i] === c ? 0.6 : 0) + 0.4 * noise()
    }
  }
  return { xs: tf.tensor4d(pixels, [n, SIDE, SIDE, 3]), labels: tf.tensor1d(labels, 'int32') }
}

/** Losses of `steps` Adam steps of the trainer's step function on one fixed batch. */
function train(architecture: Architecture, steps: number): number[] {
  const model = buildModel({ architecture, seed: 5, shape, classCount: CLASSES })
  const optimizer = tf.train.adam(0.01)
  const step = createTrainStep(model, optimizer)
  const { xs, labels } = batch(32, 9)
  try {
    return Array.from({ length: steps }, (_, i) => step(xs, labels, i).loss)
  } finally {
    tf.dispose([xs, labels])
    optimizer.dispose()
    model.dispose()
  }
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length

function expectLearning(losses: number[]): void {
  expect(losses.every(Number.isFinite), `losses ${losses.join(', ')}`).toBe(true)
  expect(mean(losses.slice(-5)), `losses ${losses.map((l) => l.toFixed(3)).join(', ')}`).toBeLessThan(0.8 * mean(losses.slice(0, 5)))
}

describe('training architecture files through the train step', () => {
  afterAll(async () => {
    await initBackend('wasm')
  })

  it('on WASM, residual blocks (conv and dense projections), avgPool and every activation learn in 20 steps', async () => {
    await initBackend('wasm')
    expect(tf.getBackend()).toBe('wasm')
    const before = tf.memory().numTensors
    expectLearning(train(RESIDUAL, 20))
    expect(tf.memory().numTensors).toBe(before)
  })

  it('on WASM, a depthwise or separable convolution cannot take a training step: no depthwise gradient kernels', async () => {
    await initBackend('wasm')
    expect(() => train(RESIDUAL_SEPARABLE, 1)).toThrow(
      /Kernel 'DepthwiseConv2dNativeBackprop(Filter|Input)' not registered for backend 'wasm'/
    )
  })

  it('on the stock cpu backend, the residual separable model learns in 20 steps', async () => {
    await tf.setBackend('cpu')
    expectLearning(train(RESIDUAL_SEPARABLE, 20))
  })
})
