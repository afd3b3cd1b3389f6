/** Turns a sweep spec into the configurations it trains: every combination, or seeded random draws. */
import { defaultHparams, type Hparams } from '@shared/hparams'
import type { Augment } from '@shared/augment'
import { describeAugment } from '@shared/augment'
import type { OptimizerName, ScheduleName } from '@shared/recipe'
import { logSpaced, sweepModels, sweepsModels, type SweepModel, type SweepSpec } from '@shared/sweep'
import type { SweepConfig } from '@shared/sweep-config'
import { createRng } from '@main/core/dataset/random'

/**
 * One configuration of a sweep: the swept values, before seeds. The recipe and model fields are
 * present only when the spec varies them (a spec recorded before they existed plans exactly as it did).
 */
export interface PlannedConfig {
  learningRate: number
  batchSize: number
  epochs: number
  validationSplit: number
  optimizer?: OptimizerName
  schedule?: ScheduleName
  augment?: Augment
  model?: SweepModel
}

/** The value lists of the dimensions the spec varies beyond the four it always has, in grid order. */
function optionalLists(spec: SweepSpec) {
  return {
    optimizer: spec.optimizers,
    schedule: spec.schedules,
    augment: spec.augments,
    model: sweepsModels(spec) ? sweepModels(spec) : undefined
  }
}

type OptionalValues = Pick<PlannedConfig, 'optimizer' | 'schedule' | 'augment' | 'model'>

/** The configurations a spec describes, in a stable order (grid: learning rate outermost, the model innermost). */
export function sweepConfigs(spec: SweepSpec): PlannedConfig[] {
  const optional = Object.entries(optionalLists(spec)).filter(([, values]) => values !== undefined) as [keyof OptionalValues, unknown[]][]
  if (spec.mode === 'grid') {
    // Every combination of the optional lists, the last one varying fastest.
    let extras: OptionalValues[] = [{}]
    for (const [key, values] of optional) extras = extras.flatMap((e) => values.map((v) => ({ ...e, [key]: v })))
    const configs: PlannedConfig[] = []
    for (const learningRate of logSpaced(spec.learningRate.min, spec.learningRate.max, spec.learningRate.count)) {
      for (const batchSize of spec.batchSizes) {
        for (const epochs of spec.epochs) {
          for (const validationSplit of spec.validationSplits) {
            for (const extra of extras) configs.push({ learningRate, batchSize, epochs, validationSplit, ...extra })
          }
        }
      }
    }
    return configs
  }
  const rng = createRng(spec.drawSeed ?? spec.seeds.base)
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rng() * values.length)]!
  const [lo, hi] = [Math.log10(spec.learningRate.min), Math.log10(spec.learningRate.max)]
  return Array.from({ length: spec.trials ?? 0 }, () => ({
    // Log-uniform: each decade of the range is drawn as often as any other.
    learningRate: Number((10 ** (lo + (hi - lo) * rng())).toPrecision(3)),
    batchSize: pick(spec.batchSizes),
    epochs: pick(spec.epochs),
    validationSplit: pick(spec.validationSplits),
    // Drawn after the four above, and only for the lists a spec gives, so older specs draw as they did.
    ...Object.fromEntries(optional.map(([key, values]) => [key, pick(values)]))
  }))
}

/**
 * The hyperparameters of one configuration with one seed: the base (the defaults of the spec's
 * `preset`) with the swept values put in; everything not swept keeps the base's value (an optimizer
 * keeps the base recipe's momentum and weight decay). Every run of a sweep trains on the spec's one
 * dataset, so its groups and best configuration never mix test sets.
 */
export function sweepHparams(spec: SweepSpec, config: PlannedConfig, seed: number): Hparams {
  const { optimizer, schedule, augment, model, ...values } = config
  const base = defaultHparams(spec.preset)
  const recipe = {
    ...base.recipe,
    ...(optimizer && { optimizer }),
    ...(schedule && { schedule }),
    ...(augment && { augment })
  }
  return { ...base, ...model, ...values, recipe, seed, trainSubset: spec.trainSubset, dataset: spec.dataset }
}

/**
 * A short label for a configuration, e.g. "lr 0.001 · batch 64 · 2 ep · val 10%", followed by the
 * optimizer, schedule and augmentation when the spec varies them ("· sgd · cosine · augment shift 2 px").
 * The model is not in it: run names start with it.
 */
export function configLabel(config: SweepConfig, spec: Pick<SweepSpec, 'optimizers' | 'schedules' | 'augments'>): string {
  const parts = [
    `lr ${config.learningRate}`,
    `batch ${config.batchSize}`,
    `${config.epochs} ep`,
    `val ${Math.round(config.validationSplit * 1000) / 10}%`
  ]
  if (spec.optimizers) parts.push(config.optimizer)
  if (spec.schedules) parts.push(config.schedule)
  if (spec.augments) parts.push(`augment ${describeAugment(config.augment)}`)
  return parts.join(' · ')
}
