/**
 * Architecture files train through the trainer's own step on WASM (with the project's kernels):
 * residual blocks, projections, average pooling, every activation, and depthwise and separable
 * convolutions (the project's DepthwiseConv2dNativeBackpropInput / …BackpropFilter), as on the stock
 * cpu backend. The example separable-cnn trains on real Fashion-MNIST batches from ATELIER_DATA_DIR
 * (default /work/shared/data/fashion-mnist; with CI=true a missing folder fails instead of skipping),
 * and its step time is printed beside cnn-shallow's.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, describe, expect, it } from 'vitest'
import type { Architecture, LayerInput } from '@shared/architecture/architecture-schema'
import type { ImageShape } from '@shared/dataset'
import { parseArchitecture, parseArchitectureJson } from '@shared/architecture/parse-architecture'
import { loadDataset } from '@main/core/dataset'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel, type BuildModelOptions } from '@main/core/trainer/architectures'
import { BatchBuilder } from '@main/core/trainer/batches'
import { createTrainStep } from '@main/core/trainer/train-step'
import { FASHION_INPUT } from '../helpers/fashion-input'

const DATA_DIR = process.env.ATELIER_DATA_DIR ?? '/work/shared/data/fashion-mnist'
const dataAvailable = existsSync(DATA_DIR)

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

/** A residual block of separable convolutions (depthwise kernels inside), and a depthwise layer with multiplier 2. */
const RESIDUAL_SEPARABLE = parse([
  { kind: 'conv2d', filters: 8, kernel: 3, padding: 'same', activation: 'relu' },
  {
    kind: 'residual',
    layers: [
      { kind: 'separableConv2d', filters: 12, kernel: 3, stride: 2, padding: 'same', activation: 'relu' },
      { kind: 'depthwiseConv2d', kernel: 3, padding: 'same' }
    ]
  },
  { kind: 'depthwiseConv2d', kernel: 3, stride: 2, padding: 'valid', depthMultiplier: 2, activation: 'relu' },
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

  it('on WASM, the residual separable model (and a depthwise layer with multiplier 2) learns in 20 steps', async () => {
    await initBackend('wasm')
    expect(tf.getBackend()).toBe('wasm')
    const before = tf.memory().numTensors
    expectLearning(train(RESIDUAL_SEPARABLE, 20))
    expect(tf.memory().numTensors).toBe(before)
  })

  it('on the stock cpu backend, the residual separable model learns in 20 steps', async () => {
    await tf.setBackend('cpu')
    expectLearning(train(RESIDUAL_SEPARABLE, 20))
  })

  it.skipIf(!dataAvailable && process.env.CI !== 'true')(
    'on WASM, the example separable-cnn learns in 20 Fashion-MNIST steps; its step time is printed beside cnn-shallow',
    async () => {
      expect(dataAvailable, `Fashion-MNIST not found in ${DATA_DIR}; set ATELIER_DATA_DIR`).toBe(true)
      const backend = await initBackend('wasm')
      const { train: images } = await loadDataset(DATA_DIR)
      if (!images) throw new Error('dataset loaded without its train part')
      const file = resolve(import.meta.dirname, '../../examples/architectures/separable-cnn.json')
      const parsed = parseArchitectureJson(readFileSync(file, 'utf8'))
      if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join('\n'))
      const before = tf.memory().numTensors
      // Steps alternate between the two models (A B A B …), so a change in the machine's load hits both alike.
      const runs = [
        fashionTrainer({ ...FASHION_INPUT, architecture: parsed.architecture, seed: 42 }),
        fashionTrainer({ ...FASHION_INPUT, preset: 'cnn-shallow', seed: 42 })
      ]
      const builder = new BatchBuilder(FASHION_BATCH)
      const order = Uint32Array.from({ length: 20 * FASHION_BATCH }, (_, i) => i)
      try {
        for (let i = 0; i < 20; i++) {
          const { xs, labels } = builder.build(images, order, i * FASHION_BATCH, FASHION_BATCH)
          for (const run of runs) run.step(xs, labels, i)
          tf.dispose([xs, labels])
        }
      } finally {
        for (const run of runs) run.dispose()
      }
      const [separable, shallow] = runs
      // The first steps compile kernels and grow the heap; the median of the last 15 is the steady step.
      const separableMs = median(separable.ms.slice(5))
      const shallowMs = median(shallow.ms.slice(5))
      console.log(
        `separable-cnn on ${backend.name} (${backend.threads} threads), batch ${FASHION_BATCH}: median step ` +
          `${separableMs.toFixed(1)} ms vs cnn-shallow ${shallowMs.toFixed(1)} ms (${(separableMs / shallowMs).toFixed(2)}×), ` +
          `steps interleaved; loss ${separable.losses[0].toFixed(3)} → ${separable.losses[19].toFixed(3)}`
      )
      expectLearning(separable.losses)
      expect(tf.memory().numTensors).toBe(before)
    }
  )
})

const FASHION_BATCH = 64

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** A model trained by the trainer's step (Adam 1e-3, as a default run), with each step's loss and wall time. */
function fashionTrainer(options: BuildModelOptions): {
  step: (xs: tf.Tensor4D, labels: tf.Tensor1D, i: number) => void
  losses: number[]
  ms: number[]
  dispose: () => void
} {
  const model = buildModel(options)
  const optimizer = tf.train.adam(1e-3)
  const trainStep = createTrainStep(model, optimizer)
  const losses: number[] = []
  const ms: number[] = []
  return {
    step: (xs, labels, i) => {
      const started = performance.now()
      losses.push(trainStep(xs, labels, i).loss)
      ms.push(performance.now() - started)
    },
    losses,
    ms,
    dispose: () => {
      optimizer.dispose()
      model.dispose()
    }
  }
}
