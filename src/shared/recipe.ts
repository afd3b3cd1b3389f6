/**
 * A training recipe: optimizer, learning-rate schedule, label smoothing and augmentation, part of a run's
 * hyperparameters. Runs recorded before recipes existed have none and parse to the defaults, which
 * train exactly as those runs did (Adam, constant learning rate, no smoothing).
 */
import { z } from 'zod'
import { augmentSchema, describeAugment, augmentIsOff, DEFAULT_AUGMENT } from './augment'

export const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'rmsprop'] as const
export type OptimizerName = (typeof OPTIMIZERS)[number]

export const SCHEDULES = ['constant', 'step', 'cosine', 'onecycle'] as const
export type ScheduleName = (typeof SCHEDULES)[number]

export const recipeSchema = z
  .object({
    /** `adam` (the default), `adamw` (decoupled weight decay), `sgd` (with momentum, optionally Nesterov) or `rmsprop`. */
    optimizer: z.enum(OPTIMIZERS).default('adam'),
    /** Momentum of `sgd` and `rmsprop` (0 ≤ x < 1); Adam's own β₁ stays 0.9. */
    momentum: z.number().min(0, 'must be at least 0').lt(1, 'must be below 1').default(0.9),
    /** Nesterov momentum for `sgd`. */
    nesterov: z.boolean().default(false),
    /** `adamw`: decoupled decay of the kernels per step (× learning rate); other optimizers: L2 added to the kernels' gradients. */
    weightDecay: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1').default(0),
    /** How the learning rate moves over the run (after warmup), multiplied with any reduction on plateau. */
    schedule: z.enum(SCHEDULES).default('constant'),
    /** Epochs of linear warmup from learningRate / steps to learningRate (must be fewer than the run's epochs). */
    warmupEpochs: z.number().int().min(0, 'must be at least 0').max(100).default(0),
    /** Label smoothing ε: targets (1 − ε) on the true class plus ε / classes on every class (0 ≤ ε < 1). */
    labelSmoothing: z.number().min(0, 'must be at least 0').lt(1, 'must be below 1').default(0),
    /** On-the-fly augmentation of the training batches (recipes recorded before it existed have none: off). */
    augment: augmentSchema.default(DEFAULT_AUGMENT)
  })
  .strict()

export type Recipe = z.infer<typeof recipeSchema>

/** The recipe every run had before recipes existed. */
export const DEFAULT_RECIPE: Recipe = {
  optimizer: 'adam',
  momentum: 0.9,
  nesterov: false,
  weightDecay: 0,
  schedule: 'constant',
  warmupEpochs: 0,
  labelSmoothing: 0,
  augment: DEFAULT_AUGMENT
}

/** One line for people: `adamw wd 0.01 · cosine, warmup 1 · label smoothing 0.1 · augment shift 3 px, flip`. */
export function describeRecipe(r: Recipe): string {
  const opt =
    r.optimizer === 'sgd'
      ? `sgd (momentum ${r.momentum}${r.nesterov ? ', nesterov' : ''})`
      : r.optimizer === 'rmsprop'
        ? `rmsprop (momentum ${r.momentum})`
        : r.optimizer
  const parts = [r.weightDecay > 0 ? `${opt} wd ${r.weightDecay}` : opt]
  parts.push(r.warmupEpochs > 0 ? `${r.schedule}, warmup ${r.warmupEpochs}` : r.schedule)
  if (r.labelSmoothing > 0) parts.push(`label smoothing ${r.labelSmoothing}`)
  // Recipes recorded before augmentation existed have none (off).
  if (r.augment && !augmentIsOff(r.augment)) parts.push(`augment ${describeAugment(r.augment)}`)
  return parts.join(' · ')
}
