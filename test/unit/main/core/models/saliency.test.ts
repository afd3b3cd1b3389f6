/** Saliency is the true gradient: it matches central finite differences on a tiny model. */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { saliency } from '@main/core/models/saliency'
import { buildModel } from '@main/core/trainer/architectures'
import { parseArchitecture } from '@shared/architecture/parse-architecture'
import { FASHION_INPUT } from '../../../../helpers/fashion-input'

function tinyModel(): tf.Sequential {
  const model = tf.sequential()
  const init = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed })
  model.add(
    tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 2,
      kernelSize: 3,
      padding: 'same',
      activation: 'tanh',
      kernelInitializer: init(1)
    })
  )
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }))
  model.add(tf.layers.flatten())
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(2) }))
  return model
}

const probability = (model: tf.LayersModel, pixels: Float64Array, k: number): number =>
  tf.tidy(() => (model.predict(tf.tensor4d(Float32Array.from(pixels), [1, 28, 28, 1])) as tf.Tensor).dataSync()[k])

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('saliency', () => {
  const model = tinyModel()
  const pixels = Float32Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100)

  it('equals ∂p(class)/∂pixel by central differences', () => {
    const k = 3
    const g = saliency({ model, pixels, classIndex: k })
    const eps = 1e-2
    // Pixels spread over the image, including the edges "same" padding touches.
    const probe = [0, 27, 29, 200, 405, 406, 560, 783]
    let compared = 0
    for (const p of probe) {
      const plus = Float64Array.from(pixels)
      const minus = Float64Array.from(pixels)
      plus[p] += eps
      minus[p] -= eps
      const fd = (probability(model, plus, k) - probability(model, minus, k)) / (2 * eps)
      expect(Math.abs(g[p] - fd)).toBeLessThan(2e-4 + 0.02 * Math.abs(fd))
      compared++
    }
    expect(compared).toBe(probe.length)
    // Not a map of zeros: the probes carry signal.
    expect(Math.max(...probe.map((p) => Math.abs(g[p])))).toBeGreaterThan(1e-3)
  })

  it('SmoothGrad averages the gradients of noisy copies, reproducibly', () => {
    const a = saliency({ model, pixels, classIndex: 3, smoothSamples: 8, seed: 5 })
    const b = saliency({ model, pixels, classIndex: 3, smoothSamples: 8, seed: 5 })
    const plain = saliency({ model, pixels, classIndex: 3 })
    expect(Array.from(a)).toEqual(Array.from(b))
    expect(Array.from(a)).not.toEqual(Array.from(plain))
    // Averaging many noisy gradients stays correlated with the plain one.
    let dot = 0,
      na = 0,
      np = 0
    for (let i = 0; i < 784; i++) {
      dot += a[i] * plain[i]
      na += a[i] ** 2
      np += plain[i] ** 2
    }
    expect(dot / Math.sqrt(na * np)).toBeGreaterThan(0.3)
  })

  it('rejects an image that is not 28×28', () => {
    expect(() => saliency({ model, pixels: new Float32Array(100), classIndex: 0 })).toThrow(/784 pixels/)
  })
})

describe('saliency of a colour model', () => {
  it('gives one value per pixel: the channel gradient largest in magnitude, with its sign', () => {
    const model = tf.sequential()
    model.add(tf.layers.flatten({ inputShape: [4, 4, 3] }))
    model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ seed: 5 }) }))
    const pixels = Float32Array.from({ length: 48 }, (_, i) => ((i * 13) % 17) / 17)
    const map = saliency({ model, pixels, classIndex: 1 })
    expect(map).toHaveLength(16)
    const full = tf.tidy(() =>
      Array.from(
        tf
          .grad((x: tf.Tensor) => tf.sum(tf.slice(model.apply(x) as tf.Tensor, [0, 1], [-1, 1])))(tf.tensor4d(pixels, [1, 4, 4, 3]))
          .dataSync()
      )
    )
    for (let p = 0; p < 16; p++) {
      const channels = full.slice(p * 3, p * 3 + 3)
      const strongest = channels.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0)
      expect(map[p]).toBeCloseTo(strongest, 6)
    }
    model.dispose()
  })
})

describe('saliency of a custom functional model', () => {
  it('is the true gradient through a residual block with batch norm (an architecture file, not a preset)', () => {
    const parsed = parseArchitecture({
      name: 'tiny-resnet',
      layers: [
        { kind: 'conv2d', filters: 4, kernel: 3, padding: 'same', activation: 'tanh' },
        { kind: 'residual', layers: [{ kind: 'conv2d', filters: 4, kernel: 3, padding: 'same' }, { kind: 'batchNorm' }, { kind: 'tanh' }] },
        { kind: 'globalAvgPool' },
        { kind: 'output' }
      ]
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    const model = buildModel({ ...FASHION_INPUT, architecture: parsed.architecture, seed: 3 })
    const pixels = Float32Array.from({ length: 784 }, (_, i) => ((i * 53) % 97) / 96)
    const g = saliency({ model, pixels, classIndex: 2 })
    const eps = 1e-2
    for (const p of [0, 300, 406, 783]) {
      const plus = Float64Array.from(pixels)
      const minus = Float64Array.from(pixels)
      plus[p] += eps
      minus[p] -= eps
      const fd = (probability(model, plus, 2) - probability(model, minus, 2)) / (2 * eps)
      expect(Math.abs(g[p] - fd)).toBeLessThan(2e-4 + 0.02 * Math.abs(fd))
    }
    model.dispose()
  })
})
