/** Dropout draws a new mask every step, the same one for the same step, and only the seeded layers are touched. */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { dropoutSeed, dropoutStepper } from '@main/trainer/dropout-seeds'
import { buildModel } from '@main/trainer/models'

function tinyModel(seed: number): tf.Sequential {
  const model = tf.sequential()
  model.add(tf.layers.dropout({ inputShape: [64], rate: 0.5, seed, name: 'drop' }))
  return model
}

/** Which of 4 × 64 ones the layer keeps, in training mode. */
function mask(model: tf.LayersModel): number[] {
  return tf.tidy(() => Array.from((model.apply(tf.ones([4, 64]), { training: true }) as tf.Tensor).dataSync()).map((v) => (v > 0 ? 1 : 0)))
}

describe('dropout masks', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('tf.js alone repeats a seeded layer’s mask on every call (the defect this fixes)', () => {
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
    const again = dropoutStepper(model)
    again(1)
    expect(mask(model)).toEqual(m1)
    // A model built afresh with the same seed (a resumed run) draws the same masks at the same step.
    const fresh = tinyModel(7)
    dropoutStepper(fresh)(1)
    expect(mask(fresh)).toEqual(m1)
    model.dispose()
    fresh.dispose()
  })

  it('steps every Dropout layer of a preset from its own seed', () => {
    const model = buildModel({ preset: 'cnn-bn', seed: 42 })
    const drops = model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as Array<{ seed: number; name: string }>
    expect(drops.length).toBe(3)
    const bases = drops.map((d) => d.seed)
    dropoutStepper(model)(5)
    expect(drops.map((d) => d.seed)).toEqual(bases.map((b) => dropoutSeed(b, 5)))
    expect(new Set(drops.map((d) => d.seed)).size).toBe(3)
    model.dispose()
  })
})
