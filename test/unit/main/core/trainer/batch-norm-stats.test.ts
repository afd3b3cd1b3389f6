/**
 * Batch-norm statistics re-estimated after training: every layer's moving mean/variance becomes what
 * its input really looks like, layer by layer, for Sequential and residual (functional) models alike.
 */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ImageShape } from '@shared/dataset'
import { parseArchitecture } from '@shared/architecture/parse-architecture'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel } from '@main/core/trainer/architectures'
import { reestimateBatchNorm } from '@main/core/trainer/batch-norm-stats'

const shape: ImageShape = { height: 12, width: 12, channels: 1 }
const N = 96

/** Images of varied brightness, so activations have means and variances far from BN's 0 and 1. */
function images(n = N): { images: Uint8Array; labels: Uint8Array; shape: ImageShape } {
  const px = shape.height * shape.width
  const bytes = new Uint8Array(n * px)
  for (let i = 0; i < n; i++) for (let p = 0; p < px; p++) bytes[i * px + p] = (i * 37 + p * 11 + ((i * p) % 13) * 9) % 256
  return { images: bytes, labels: Uint8Array.from({ length: n }, (_, i) => i % 10), shape }
}

const residual = () => {
  const r = parseArchitecture({
    name: 'residual bn',
    layers: [
      { kind: 'conv2d', filters: 4, kernel: 3, padding: 'same', activation: 'relu' },
      { kind: 'batchNorm' },
      {
        kind: 'residual',
        layers: [{ kind: 'conv2d', filters: 6, kernel: 3, stride: 2, padding: 'same' }, { kind: 'batchNorm' }, { kind: 'relu' }]
      },
      { kind: 'globalAvgPool' },
      { kind: 'dense', units: 8, activation: 'relu' },
      { kind: 'batchNorm' },
      { kind: 'output' }
    ]
  })
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'))
  return buildModel({ architecture: r.architecture, seed: 3, shape, classCount: 10 })
}

const sequential = () => {
  const r = parseArchitecture({
    name: 'sequential bn',
    layers: [
      { kind: 'conv2d', filters: 4, kernel: 3, padding: 'valid', activation: 'relu' },
      { kind: 'batchNorm' },
      { kind: 'conv2d', filters: 4, kernel: 3, padding: 'valid' },
      { kind: 'batchNorm' },
      { kind: 'flatten' },
      { kind: 'dense', units: 8 },
      { kind: 'batchNorm' },
      { kind: 'dropout', rate: 0.5 },
      { kind: 'output' }
    ]
  })
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'))
  return buildModel({ architecture: r.architecture, seed: 3, shape, classCount: 10 })
}

/** Batch norm straight on the images, in a Sequential model and a functional one. */
const firstLayer = (residual: boolean) => {
  const tail = [{ kind: 'flatten' as const }, { kind: 'output' as const }]
  const layers = residual
    ? [{ kind: 'batchNorm' as const }, { kind: 'residual' as const, layers: [{ kind: 'relu' as const }] }, ...tail]
    : [{ kind: 'batchNorm' as const }, ...tail]
  const r = parseArchitecture({ name: 'bn first', layers })
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'))
  return buildModel({ architecture: r.architecture, seed: 3, shape, classCount: 10 })
}

const bnLayers = (model: tf.LayersModel) => model.layers.filter((l) => l.getClassName() === 'BatchNormalization')

type Moments = { mean: Float32Array; variance: Float32Array }

/** Each BN layer's input or output in inference mode over all images: per-channel mean and variance. */
function moments(model: tf.LayersModel, data: ReturnType<typeof images>, side: 'input' | 'output'): Moments[] {
  const xs = tf.tidy(() =>
    tf.tensor4d(
      Float32Array.from(data.images, (b) => b / 255),
      [N, shape.height, shape.width, 1]
    )
  )
  const result = bnLayers(model).map((layer) =>
    tf.tidy(() => {
      const out = tf.model({ inputs: model.inputs[0], outputs: layer[side] as tf.SymbolicTensor }).predict(xs) as tf.Tensor
      const axes = out.shape.slice(0, -1).map((_, i) => i)
      const m = tf.moments(out, axes)
      return { mean: m.mean.dataSync() as Float32Array, variance: m.variance.dataSync() as Float32Array }
    })
  )
  xs.dispose()
  return result
}

/** A BN layer's moving statistics as the model holds them. */
const movingStats = (layer: tf.layers.Layer): Moments => {
  const [mean, variance] = layer.getWeights().slice(-2)
  return { mean: mean.dataSync() as Float32Array, variance: variance.dataSync() as Float32Array }
}

const close = (a: Float32Array, b: Float32Array) =>
  Array.from(a).forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(b[i])))

const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()))

describe('reestimateBatchNorm', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it.each([
    ['Sequential', sequential],
    ['residual (functional)', residual],
    ['Sequential, batch norm first,', () => firstLayer(false)],
    ['functional, batch norm first,', () => firstLayer(true)]
  ])('normalises every batch-norm layer of a %s model, earlier layers first', (_kind, build) => {
    const model = build()
    const data = images()
    const before = moments(model, data, 'output')
    // Untouched statistics (0, 1) leave activations far from normalised: that is the trap.
    expect(before.some((m) => m.mean.some((v) => Math.abs(v) > 0.05) || m.variance.some((v) => Math.abs(v - 1) > 0.2))).toBe(true)
    // One batch of all images: the layer's statistics are then exactly those of what it sees.
    const done = reestimateBatchNorm({
      model,
      source: data,
      trainIndices: Uint32Array.from({ length: N }, (_, i) => i),
      batchSize: N,
      seed: 1
    })
    expect(done).toEqual({ layers: bnLayers(model).length, images: N })
    // Each layer holds the statistics of what it now sees, earlier layers already re-estimated.
    const inputs = moments(model, data, 'input')
    bnLayers(model).forEach((layer, i) => {
      close(movingStats(layer).mean, inputs[i].mean)
      close(movingStats(layer).variance, inputs[i].variance)
    })
    for (const m of moments(model, data, 'output')) m.mean.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-3))
    model.dispose()
  })

  it('is deterministic, leaks no tensors, and with a bound uses that many seeded images', () => {
    const a = sequential()
    const b = sequential()
    const data = images()
    const indices = Uint32Array.from({ length: N }, (_, i) => i)
    const tensors = tf.memory().numTensors
    const options = { source: data, trainIndices: indices, batchSize: 16, seed: 7, maxImages: 40 }
    expect(reestimateBatchNorm({ model: a, ...options })).toEqual({ layers: 3, images: 40 })
    expect(tf.memory().numTensors).toBe(tensors)
    reestimateBatchNorm({ model: b, ...options })
    expect(weightsOf(a)).toEqual(weightsOf(b))
    // Another seed draws other images, so other statistics.
    reestimateBatchNorm({ model: b, ...options, seed: 8 })
    expect(weightsOf(a)).not.toEqual(weightsOf(b))
    a.dispose()
    b.dispose()
  })

  it('leaves a model without batch norm alone', () => {
    const model = buildModel({ preset: 'dense', seed: 1, shape, classCount: 10 })
    const before = weightsOf(model)
    expect(reestimateBatchNorm({ model, source: images(), trainIndices: Uint32Array.of(0, 1, 2), batchSize: 2, seed: 1 })).toBeNull()
    expect(weightsOf(model)).toEqual(before)
    model.dispose()
  })
})
