/**
 * The configuration of a sweep's run: the values a sweep may vary, read from the run's hyperparameters.
 * One list of readers defines them, so the key that groups seed repeats, the best configuration and
 * the sweep view's columns never name the dimensions twice.
 */
import type { Hparams } from './hparams'
import { modelLabel, modelName } from './run-architecture'

const READERS = {
  learningRate: (h: Hparams) => h.learningRate,
  batchSize: (h: Hparams) => h.batchSize,
  epochs: (h: Hparams) => h.epochs,
  validationSplit: (h: Hparams) => h.validationSplit,
  optimizer: (h: Hparams) => h.recipe.optimizer,
  schedule: (h: Hparams) => h.recipe.schedule,
  augment: (h: Hparams) => h.recipe.augment,
  /** The preset's id (`cnn-bn`) or `custom: <architecture name>`: a sweep names its architectures once each. */
  model: (h: Hparams) => modelName(modelLabel(h))
} as const

/** The values a sweep may vary; the runs of one configuration differ only in seed. */
export type SweepConfig = { [K in keyof typeof READERS]: ReturnType<(typeof READERS)[K]> }
export type SweepDimension = keyof SweepConfig

/** Every dimension a sweep may vary, in the order tables and keys list them. */
export const SWEEP_DIMENSIONS = Object.keys(READERS) as SweepDimension[]

/** A run's configuration, read from its hyperparameters (runs recorded before recipes read as Adam, constant, no augmentation). */
export function sweepConfigOf(h: Hparams): SweepConfig {
  return Object.fromEntries(SWEEP_DIMENSIONS.map((k) => [k, READERS[k](h)])) as SweepConfig
}

/** Object fields in name order, so two equal settings give one key whatever order their fields were written in. */
const sortedFields = (_key: string, value: unknown): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : value

/** A string equal for two configurations exactly when every dimension is. */
export const sweepConfigKey = (config: SweepConfig): string =>
  JSON.stringify(
    SWEEP_DIMENSIONS.map((k) => config[k]),
    sortedFields
  )

/** Just the configuration of a point or best configuration that carries more fields. */
export const pickSweepConfig = (value: SweepConfig): SweepConfig =>
  Object.fromEntries(SWEEP_DIMENSIONS.map((k) => [k, value[k]])) as SweepConfig
