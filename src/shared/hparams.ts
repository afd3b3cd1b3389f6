/** Hyperparameters of a run: one schema validates them in the UI, main, CLI and trainer. */
import { z } from 'zod'
import { PRESET_IDS } from './presets'
import { DEFAULT_DATASET, datasetNameSchema } from './dataset'
import { DEFAULT_RECIPE, recipeSchema } from './recipe'
import { boundedArchitectureSchema } from './architecture/parse-architecture'

/** The `preset` of a run that trains its own architecture (carried in `architecture`) rather than a named preset. */
export const CUSTOM_PRESET = 'custom'
/** What a run's `preset` may be: a preset's id, or {@link CUSTOM_PRESET}. */
export const RUN_PRESETS = [...PRESET_IDS, CUSTOM_PRESET] as const
export type RunPreset = (typeof RUN_PRESETS)[number]

export const MONITORS = ['val_loss', 'val_accuracy'] as const
export type Monitor = (typeof MONITORS)[number]

export const earlyStoppingSchema = z.object({
  /** Stop when the monitored metric has not improved for `patience` epochs. */
  enabled: z.boolean(),
  monitor: z.enum(MONITORS),
  patience: z.number().int().min(1).max(100),
  /** Put back the weights of the best epoch when stopping or finishing. */
  restoreBestWeights: z.boolean()
})

export const reduceLrSchema = z.object({
  /** Multiply the learning rate by `factor` after `patience` epochs without improvement. */
  enabled: z.boolean(),
  monitor: z.enum(MONITORS),
  factor: z.number().gt(0).lt(1),
  patience: z.number().int().min(1).max(100),
  minLr: z.number().min(0).max(1)
})

/** The largest batch a run takes. */
export const MAX_BATCH_SIZE = 4096

export const hparamsSchema = z
  .object({
    /** Which seed architecture to build, or `custom` for the run's own `architecture`. */
    preset: z.enum(RUN_PRESETS),
    /** The architecture of a `custom` run, exactly as it trains (null for a preset: runs recorded before custom architectures have none). */
    architecture: boundedArchitectureSchema.nullable().default(null),
    /** Name of the dataset to train on (runs recorded before datasets existed trained on Fashion-MNIST). */
    dataset: datasetNameSchema.default(DEFAULT_DATASET),
    /** Number of passes over the training split (1–500). */
    epochs: z.number().int().min(1).max(500),
    /** Images per gradient step. */
    batchSize: z.number().int().min(1).max(MAX_BATCH_SIZE),
    /** The optimizer's initial learning rate (Adam's unless the recipe names another). */
    learningRate: z.number().gt(0).max(1),
    /** Fraction of the training images held out for validation, stratified by class. */
    validationSplit: z.number().min(0.01).max(0.5),
    /** Seeds the split, the subset, the weight initialisation and the shuffling. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    /** Train on this many images (stratified) instead of the whole training set; null for all (checked against the dataset's size when the run starts). */
    trainSubset: z.number().int().min(100).max(10_000_000).nullable(),
    earlyStopping: earlyStoppingSchema,
    reduceLrOnPlateau: reduceLrSchema,
    /** Optimizer, schedule and label smoothing (runs recorded before recipes parse to the defaults). */
    recipe: recipeSchema.default(DEFAULT_RECIPE)
  })
  .strict()
  .superRefine((h, ctx) => {
    if (h.recipe.warmupEpochs > 0 && h.recipe.warmupEpochs >= h.epochs) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipe', 'warmupEpochs'],
        message: 'must be fewer than the epochs (warmup must end before training does)'
      })
    }
    if (h.preset === CUSTOM_PRESET && h.architecture === null) {
      ctx.addIssue({ code: 'custom', path: ['architecture'], message: 'a custom run needs its architecture' })
    } else if (h.preset !== CUSTOM_PRESET && h.architecture !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['architecture'],
        message: `the ${h.preset} preset has its own architecture; set preset to "custom" to train this one`
      })
    }
  })

export type Hparams = z.infer<typeof hparamsSchema>
export type EarlyStopping = z.infer<typeof earlyStoppingSchema>
export type ReduceLrOnPlateau = z.infer<typeof reduceLrSchema>

const BASE: Omit<Hparams, 'preset'> = {
  architecture: null,
  dataset: DEFAULT_DATASET,
  epochs: 10,
  batchSize: 64,
  learningRate: 0.001,
  validationSplit: 0.1,
  seed: 42,
  trainSubset: null,
  earlyStopping: { enabled: false, monitor: 'val_loss', patience: 3, restoreBestWeights: true },
  reduceLrOnPlateau: { enabled: false, monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 1e-5 },
  recipe: DEFAULT_RECIPE
}

/** The defaults a preset starts with; `cnn-bn` reduces the learning rate on plateau. A custom run starts from the same defaults as `dense` (its architecture still to be given). */
export function defaultHparams(preset: RunPreset): Hparams {
  const h: Hparams = structuredClone({ ...BASE, preset })
  if (preset === 'cnn-bn') h.reduceLrOnPlateau.enabled = true
  return h
}

/** A validation problem with one field, addressed by its dotted path. */
export interface FieldError {
  path: string
  message: string
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

/** Turns zod issues into field errors a person can read. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.join('.') || '(root)',
    message: issue.message
  }))
}

/** Validates unknown input as hyperparameters. */
export function parseHparams(input: unknown): ParseResult<Hparams> {
  const r = hparamsSchema.safeParse(input)
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: toFieldErrors(r.error) }
}

/** Fills missing fields from the preset's defaults, then validates. */
export function completeHparams(partial: Partial<Hparams> & { preset: RunPreset }): ParseResult<Hparams> {
  const base = defaultHparams(partial.preset)
  return parseHparams({
    ...base,
    ...partial,
    earlyStopping: { ...base.earlyStopping, ...partial.earlyStopping },
    reduceLrOnPlateau: { ...base.reduceLrOnPlateau, ...partial.reduceLrOnPlateau },
    recipe: { ...base.recipe, ...partial.recipe }
  })
}
