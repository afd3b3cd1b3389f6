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
 * index, see architectures.ts) and the global step number: masks change every batch, the same run with the
 * same seed draws the same masks, and a run resumed from a checkpoint draws the masks the
 * uninterrupted run would have drawn (the step number follows from the epoch and the batch).
 */
import type * as tf from '@tensorflow/tfjs'

/** A Dropout layer's seed as tf.js reads it in `call()` (a number, or a string, which it seeds from as is). */
interface SeededLayer {
  seed?: number | string
}

/** Each layer's own seed, as built: a second stepper on the same model must not derive from a step's seed. */
const baseSeeds = new WeakMap<SeededLayer, number | string>()

/**
 * The seed of the layer at `index` whose own seed is `base`, at global step `step` (0-based). A string,
 * so no two (seed, layer, step) triples ever share one: with arithmetic, run s's layer 15 and run s+8's
 * layer 7 (both built with seed s + 15) would draw the same masks, and long runs would meet the next
 * seed's steps.
 */
export const dropoutSeed = (base: number | string, index: number, step: number): string => `dropout:${base}:${index}:${step}`

/** The Dropout layers of a model with their index in it and their own seed. */
function dropoutLayers(model: tf.LayersModel): Array<{ layer: SeededLayer; index: number; base: number | string }> {
  return model.layers.flatMap((l, index) => {
    if (l.getClassName() !== 'Dropout') return []
    const layer = l as unknown as SeededLayer
    if (!baseSeeds.has(layer)) {
      if (layer.seed === undefined) throw new Error(`dropout layer ${l.name} has no seed, so its masks could not be repeated`)
      baseSeeds.set(layer, layer.seed)
    }
    return [{ layer, index, base: baseSeeds.get(layer)! }]
  })
}

/**
 * Returns a function that points every Dropout layer of `model` at the masks of global step `step`.
 * Call it before each training step.
 */
export function dropoutStepper(model: tf.LayersModel): (step: number) => void {
  const layers = dropoutLayers(model)
  return (step) => {
    for (const { layer, index, base } of layers) layer.seed = dropoutSeed(base, index, step)
  }
}

/** Gives every Dropout layer its own seed back, so a saved or exported model carries the seed it was built with. */
export function resetDropoutSeeds(model: tf.LayersModel): void {
  for (const { layer, base } of dropoutLayers(model)) layer.seed = base
}
