/** A sweep: grid or random search over a preset's training hyperparameters, validated in the UI, main and CLI alike. */
import { z } from 'zod'
import { hparamsSchema } from './hparams'
import { DEFAULT_DATASET } from './dataset'
import { PRESET_IDS } from './presets'

/** The most runs one sweep may queue. */
export const MAX_SWEEP_RUNS = 200
export const SEARCH_MODES = ['grid', 'random'] as const
export type SearchMode = (typeof SEARCH_MODES)[number]

const shape = hparamsSchema.shape
const distinct = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item)
    .min(1, `give at least one ${what}`)
    .max(20)
    .refine((values) => new Set(values).size === values.length, `each ${what} only once`)

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

/** How many configurations (before seeds) a spec describes. */
export function sweepConfigCount(
  spec: Pick<SweepSpec, 'mode' | 'learningRate' | 'batchSizes' | 'epochs' | 'validationSplits' | 'trials'>
): number {
  if (spec.mode === 'random') return spec.trials ?? 0
  return spec.learningRate.count * spec.batchSizes.length * spec.epochs.length * spec.validationSplits.length
}

/** How many runs a spec queues: configurations × seeds. */
export function sweepRunCount(
  spec: Pick<SweepSpec, 'mode' | 'learningRate' | 'batchSizes' | 'epochs' | 'validationSplits' | 'trials' | 'seeds'>
): number {
  return sweepConfigCount(spec) * spec.seeds.count
}

/** `count` values spaced evenly on a log scale from `min` to `max`, rounded to 3 significant digits. */
export function logSpaced(min: number, max: number, count: number): number[] {
  if (count === 1) return [min]
  const [a, b] = [Math.log10(min), Math.log10(max)]
  return Array.from({ length: count }, (_, i) => Number((10 ** (a + ((b - a) * i) / (count - 1))).toPrecision(3)))
}
