/**
 * Fresh dropout masks for every training step, reproducibly.
 *
 * tf.js draws a Dropout layer's mask with `randomUniform(shape, 0, 1, 'float32', seed)`, which seeds a
 * new generator from `seed` on every call: a layer built with a fixed seed applies the *same* mask to
 * every batch, so the network trains one fixed sub-network instead of being regularised (and at
 * inference the units it never trained are switched back on). Without a seed, masks would come from
 * Math.random and runs could not be repeated or resumed exactly.
 *
 * So each step gets its own seed, derived from the layer's own seed (the run's seed plus the layer's
 * index, see models.ts) and the global step number: masks change every batch, the same run with the
 * same seed draws the same masks, and a run resumed from a checkpoint draws the masks the
 * uninterrupted run would have drawn (the step number follows from the epoch and the batch).
 */
import type * as tf from '@tensorflow/tfjs'

/** A Dropout layer's seed as tf.js reads it in `call()`. */
interface SeededLayer {
  seed?: number
}

/** Spacing between layer seeds: one layer's seeds never meet another's for any realistic step count. */
const STEPS_PER_SEED = 100_003

/** Each layer's own seed, as built: a second stepper on the same model must not derive from a step's seed. */
const baseSeeds = new WeakMap<SeededLayer, number>()

/** The seed of a layer whose own seed is `base` at global step `step` (0-based). */
export const dropoutSeed = (base: number, step: number): number => base * STEPS_PER_SEED + step

/**
 * Returns a function that points every Dropout layer of `model` at the masks of global step `step`.
 * Call it before each training step.
 */
export function dropoutStepper(model: tf.LayersModel): (step: number) => void {
  const layers = model.layers
    .filter((l) => l.getClassName() === 'Dropout')
    .map((l) => {
      const layer = l as unknown as SeededLayer
      if (!baseSeeds.has(layer)) {
        if (layer.seed === undefined) throw new Error(`dropout layer ${l.name} has no seed, so its masks could not be repeated`)
        baseSeeds.set(layer, layer.seed)
      }
      return { layer, base: baseSeeds.get(layer)! }
    })
  return (step) => {
    for (const { layer, base } of layers) layer.seed = dropoutSeed(base, step)
  }
}
