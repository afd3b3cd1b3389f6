/**
 * A sweep: grid or random search over training hyperparameters, the recipe (optimizer, schedule,
 * augmentation) and the architecture, validated in the UI, main and CLI alike.
 */
import { z } from 'zod'
import { CUSTOM_PRESET, hparamsSchema, type Hparams } from './hparams'
import { DEFAULT_DATASET } from './dataset'
import { PRESET_IDS, type PresetId } from './presets'
import { OPTIMIZERS, SCHEDULES } from './recipe'
import { augmentSchema, type Augment } from './augment'
import { boundedArchitectureSchema } from './architecture/parse-architecture'

/** The most runs one sweep may queue. */
export const MAX_SWEEP_RUNS = 200
export const SEARCH_MODES = ['grid', 'random'] as const
export type SearchMode = (typeof SEARCH_MODES)[number]

const shape = hparamsSchema.shape
/** A list of 1–20 values to try, each once; `key` says when two values are the same (objects compare by content). */
const distinct = <T extends z.ZodType>(item: T, what: string, key: (value: z.output<T>) => unknown = (v) => v) =>
  z
    .array(item)
    .min(1, `give at least one ${what}`)
    .max(20)
    .refine((values) => new Set(values.map(key)).size === values.length, `each ${what} only once`)

/** One of `options`, or an error that names the value and the choices. */
const choiceOf = <T extends readonly [string, ...string[]]>(options: T, what: string) =>
  z.enum(options, { error: (issue) => `unknown ${what} ${JSON.stringify(issue.input)}: choose ${options.join(', ')}` })

/** Augmentation settings compare by what they do, whatever order their fields came in. */
const augmentKey = (a: Augment): string => JSON.stringify([a.shift, a.flip, a.erase])

/** Why a sweep takes one dataset: its best configuration and its groups compare runs scored on one test set. */
export const ONE_DATASET_MESSAGE =
  'a sweep trains on one dataset (its best configuration is chosen by test accuracy, which only compares runs on the same test set); start one sweep per dataset'

/** The sweep's dataset: one name; a list (a sweep over datasets) is refused with the reason. */
const sweepDataset = z.preprocess((value, ctx) => {
  if (Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: ONE_DATASET_MESSAGE })
    return z.NEVER
  }
  return value
}, shape.dataset.unwrap().default(DEFAULT_DATASET))

export const sweepSpecSchema = z
  .object({
    preset: z.enum(PRESET_IDS),
    /** The dataset every run of the sweep trains on (default Fashion-MNIST; sweeps recorded before datasets existed trained on it). */
    dataset: sweepDataset,
    /** Not a field: present only to refuse a sweep over datasets with the reason rather than "unrecognized key". */
    datasets: z.unknown().optional(),
    /** `grid`: every combination; `random`: `trials` configurations drawn at random. */
    mode: z.enum(SEARCH_MODES),
    /**
     * Learning rates on a log scale between `min` and `max`: a grid takes `count` log-spaced values
     * (just `min` when count is 1), a random search draws each trial log-uniformly from the range.
     */
    learningRate: z
      .object({
        min: shape.learningRate,
        max: shape.learningRate,
        count: z.number().int().min(1).max(20)
      })
      .strict()
      .refine((lr) => lr.min <= lr.max, { message: 'min must not exceed max', path: ['max'] }),
    /** Batch sizes to try (a random search picks one per trial). */
    batchSizes: distinct(shape.batchSize, 'batch size'),
    /** Epoch counts to try. */
    epochs: distinct(shape.epochs, 'epoch count'),
    /** Validation fractions to try. */
    validationSplits: distinct(shape.validationSplit, 'validation split'),
    /** Optimizers to try (absent: the base recipe's, Adam); momentum, weight decay and the rest stay the base recipe's. */
    optimizers: distinct(choiceOf(OPTIMIZERS, 'optimizer'), 'optimizer').optional(),
    /** Learning-rate schedules to try (absent: the base recipe's, constant). */
    schedules: distinct(choiceOf(SCHEDULES, 'schedule'), 'schedule').optional(),
    /** Augmentation settings to try, e.g. none against shift 2 px with flip (absent: none). */
    augments: distinct(augmentSchema, 'augmentation', augmentKey).optional(),
    /**
     * Presets to train (absent: `preset` alone, unless `architectures` are given). `preset` must be
     * one of them: every run starts from its defaults.
     */
    presets: distinct(choiceOf(PRESET_IDS, 'preset'), 'preset').optional(),
    /** Architectures of the user's own to train besides the presets, each named once (checked against the dataset when the sweep starts). */
    architectures: distinct(boundedArchitectureSchema, 'architecture', (a) => a.name).optional(),
    /** Each configuration runs with seeds base, base + 1, …, base + count − 1; two or more form a group. */
    seeds: z.object({ base: shape.seed, count: z.number().int().min(1).max(20) }).strict(),
    /** Random search only: how many configurations to draw. */
    trials: z.number().int().min(1).max(MAX_SWEEP_RUNS).optional(),
    /** Random search only: seeds the draw, so the same spec gives the same configurations. */
    drawSeed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    /** Shared by every run: train on this many images (stratified), or null for the whole training set of the dataset. */
    trainSubset: shape.trainSubset
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.datasets !== undefined) ctx.addIssue({ code: 'custom', path: ['datasets'], message: ONE_DATASET_MESSAGE })
    if (spec.presets && !spec.presets.includes(spec.preset)) {
      ctx.addIssue({
        code: 'custom',
        path: ['preset'],
        message: `must be one of the swept presets (${spec.presets.join(', ')}): every run starts from its defaults`
      })
    }
    if (spec.mode === 'random' && spec.trials === undefined) {
      ctx.addIssue({ code: 'custom', path: ['trials'], message: 'a random search needs the number of trials' })
    }
    const runs = sweepRunCount(spec)
    if (runs > MAX_SWEEP_RUNS) {
      ctx.addIssue({
        code: 'custom',
        path: ['(root)'],
        message: `this sweep would queue ${runs} runs; at most ${MAX_SWEEP_RUNS} are allowed — remove values or seeds`
      })
    }
  })
  .transform(({ datasets: _refused, ...spec }) => spec)

export type SweepSpec = z.infer<typeof sweepSpecSchema>

/** What a sweep trains: a preset, or an architecture of the user's own as a custom run. */
export type SweepModel = Pick<Hparams, 'preset' | 'architecture'>

/** The spec's fields that say which models it trains. */
type ModelFields = Pick<SweepSpec, 'preset' | 'presets' | 'architectures'>

/** Whether the spec varies the model (gives `presets` or `architectures`) rather than training `preset` alone. */
export const sweepsModels = (spec: ModelFields): boolean => spec.presets !== undefined || spec.architectures !== undefined

/** The models a spec trains, presets first: `presets` and `architectures`, or `preset` alone when it gives neither. */
export function sweepModels(spec: ModelFields): SweepModel[] {
  const presets: readonly PresetId[] = spec.presets ?? (spec.architectures ? [] : [spec.preset])
  return [
    ...presets.map((preset): SweepModel => ({ preset, architecture: null })),
    ...(spec.architectures ?? []).map((architecture): SweepModel => ({ preset: CUSTOM_PRESET, architecture }))
  ]
}

/** The fields of a spec that give the size of its grid. */
type CountFields = Pick<
  SweepSpec,
  | 'mode'
  | 'learningRate'
  | 'batchSizes'
  | 'epochs'
  | 'validationSplits'
  | 'trials'
  | 'optimizers'
  | 'schedules'
  | 'augments'
  | 'preset'
  | 'presets'
  | 'architectures'
>

/** How many configurations (before seeds) a spec describes: a grid multiplies every list, a random search draws `trials`. */
export function sweepConfigCount(spec: CountFields): number {
  if (spec.mode === 'random') return spec.trials ?? 0
  const lists = [spec.batchSizes, spec.epochs, spec.validationSplits, spec.optimizers, spec.schedules, spec.augments, sweepModels(spec)]
  return lists.reduce((n, list) => n * (list?.length ?? 1), spec.learningRate.count)
}

/** How many runs a spec queues: configurations × seeds. */
export function sweepRunCount(spec: CountFields & Pick<SweepSpec, 'seeds'>): number {
  return sweepConfigCount(spec) * spec.seeds.count
}

/** `count` values spaced evenly on a log scale from `min` to `max`, rounded to 3 significant digits. */
export function logSpaced(min: number, max: number, count: number): number[] {
  if (count === 1) return [min]
  const [a, b] = [Math.log10(min), Math.log10(max)]
  return Array.from({ length: count }, (_, i) => Number((10 ** (a + ((b - a) * i) / (count - 1))).toPrecision(3)))
}
