/** Dropout draws a new mask every step, the same one for the same step, in training and on a resume. */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { completeHparams } from '@shared/hparams'
import { dropoutSeed, dropoutStepper, resetDropoutSeeds } from '@main/core/trainer/dropout-seeds'
import { fit } from '@main/core/trainer/fit'
import { buildModel } from '@main/core/trainer/architectures'
import { FASHION_INPUT } from '../../../../helpers/fashion-input'

function tinyModel(seed: number): tf.Sequential {
  const model = tf.sequential()
  model.add(tf.layers.dropout({ inputShape: [64], rate: 0.5, seed, name: 'drop' }))
  return model
}

/** Which of 4 × 64 ones the layer keeps, in training mode. */
function mask(model: tf.LayersModel): number[] {
  return tf.tidy(() => Array.from((model.apply(tf.ones([4, 64]), { training: true }) as tf.Tensor).dataSync()).map((v) => (v > 0 ? 1 : 0)))
}

const seedOf = (model: tf.LayersModel, name: string): unknown => (model.getLayer(name) as unknown as { seed: unknown }).seed

describe('dropout masks', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('tf.js alone repeats a seeded layer’s mask on every call (why the seeds are stepped)', () => {
    const model = tinyModel(7)
    expect(mask(model)).toEqual(mask(model))
    model.dispose()
  })

  it('a new mask every step, the same mask for the same step, in a fresh model too', () => {
    const model = tinyModel(7)
    const step = dropoutStepper(model)
    step(0)
    const m0 = mask(model)
    step(1)
    const m1 = mask(model)
    expect(m1).not.toEqual(m0)
    // About half kept, as rate 0.5 says.
    expect(m1.reduce((a, b) => a + b, 0)).toBeGreaterThan(64)
    expect(m1.reduce((a, b) => a + b, 0)).toBeLessThan(192)
    step(0)
    expect(mask(model)).toEqual(m0)
    // A second stepper on the same model derives from the layer's own seed, not the last step's.
    dropoutStepper(model)(1)
    expect(mask(model)).toEqual(m1)
    // A model built afresh with the same seed (a resumed run) draws the same masks at the same step.
    const fresh = tinyModel(7)
    dropoutStepper(fresh)(1)
    expect(mask(fresh)).toEqual(m1)
    resetDropoutSeeds(model)
    expect(seedOf(model, 'drop')).toBe(7)
    model.dispose()
    fresh.dispose()
  })

  it('never gives two layers the same seed, not even run s’s layer 15 and run s + 8’s layer 7 (both built with s + 15)', () => {
    const a = buildModel({ ...FASHION_INPUT, preset: 'cnn-bn', seed: 42 })
    const b = buildModel({ ...FASHION_INPUT, preset: 'cnn-bn', seed: 50 })
    const drops = (m: tf.LayersModel) => m.layers.filter((l) => l.getClassName() === 'Dropout').map((l) => l.name)
    expect(drops(a)).toEqual(['dropout_7', 'dropout_15', 'dropout_20'])
    expect(seedOf(a, 'dropout_15')).toBe(seedOf(b, 'dropout_7'))
    dropoutStepper(a)(3)
    dropoutStepper(b)(3)
    const seeds = [...drops(a).map((n) => seedOf(a, n)), ...drops(b).map((n) => seedOf(b, n))]
    expect(new Set(seeds).size).toBe(6)
    expect(seedOf(a, 'dropout_15')).toBe(dropoutSeed(57, 15, 3))
    a.dispose()
    b.dispose()
  })

  it('fit steps the masks once per batch, counting on across epochs and from a checkpoint', async () => {
    const n = 96
    const images = new Uint8Array(n * 784).map((_, i) => (i * 31) % 251)
    const labels = new Uint8Array(n).map((_, i) => i % 10)
    const hp = completeHparams({ preset: 'dense', batchSize: 32, epochs: 2, seed: 3 })
    if (!hp.ok) throw new Error(JSON.stringify(hp.errors))
    const trainIndices = Uint32Array.from({ length: 64 }, (_, i) => i)
    const validationIndices = Uint32Array.from({ length: 32 }, (_, i) => 64 + i)
    /** A small net with one Dropout layer whose seed assignments are recorded. */
    const recorded = (): { model: tf.Sequential; seeds: unknown[] } => {
      const model = tf.sequential()
      model.add(tf.layers.flatten({ inputShape: [28, 28, 1], name: 'flat' }))
      model.add(tf.layers.dropout({ rate: 0.3, seed: 11, name: 'drop' }))
      model.add(
        tf.layers.dense({ units: 10, activation: 'softmax', name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })
      )
      const seeds: unknown[] = []
      const layer = model.getLayer('drop') as unknown as { seed: unknown }
      let value = layer.seed
      Object.defineProperty(layer, 'seed', {
        get: () => value,
        set: (v) => {
          value = v
          seeds.push(v)
        }
      })
      return { model, seeds }
    }
    const straight = recorded()
    let checkpoint: Uint8Array | null = null
    const noop = { onProgress: () => {}, shouldStop: () => false }
    await fit({
      model: straight.model,
      hparams: hp.value,
      source: { images, labels, shape: FASHION_INPUT.shape },
      trainIndices,
      validationIndices,
      callbacks: {
        ...noop,
        onEpoch: async (r, pack) => {
          if (r.epoch === 1) checkpoint = await pack()
        }
      }
    })
    // Two batches an epoch, two epochs: steps 0–3, and the layer's own seed back after each epoch.
    const stepped = (steps: number[]) => steps.map((s) => dropoutSeed(11, 1, s))
    expect(straight.seeds).toEqual([...stepped([0, 1]), 11, ...stepped([2, 3]), 11, 11])
    const resumed = recorded()
    await fit({
      model: resumed.model,
      hparams: hp.value,
      source: { images, labels, shape: FASHION_INPUT.shape },
      trainIndices,
      validationIndices,
      resumeFrom: checkpoint!,
      callbacks: { ...noop, onEpoch: () => {} }
    })
    expect(resumed.seeds.filter((s) => typeof s === 'string')).toEqual(stepped([2, 3]))
    straight.model.dispose()
    resumed.model.dispose()
  })
})
