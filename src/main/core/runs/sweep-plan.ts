/** Turns a sweep spec into the configurations it trains: every combination, or seeded random draws. */
import { defaultHparams, type Hparams } from '@shared/hparams'
import { logSpaced, type SweepSpec } from '@shared/sweep'
import { createRng } from '@main/core/dataset/random'

/** One configuration of a sweep: the swept values, before seeds. */
export interface SweepConfig {
  learningRate: number
  batchSize: number
  epochs: number
  validationSplit: number
}

/** The configurations a spec describes, in a stable order (grid: learning rate outermost). */
export function sweepConfigs(spec: SweepSpec): SweepConfig[] {
  if (spec.mode === 'grid') {
    const configs: SweepConfig[] = []
    for (const learningRate of logSpaced(spec.learningRate.min, spec.learningRate.max, spec.learningRate.count)) {
      for (const batchSize of spec.batchSizes) {
        for (const epochs of spec.epochs) {
          for (const validationSplit of spec.validationSplits) configs.push({ learningRate, batchSize, epochs, validationSplit })
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
    validationSplit: pick(spec.validationSplits)
  }))
}

/**
 * The hyperparameters of one configuration with one seed; everything not swept keeps the preset's
 * default. Every run of a sweep trains on the spec's one dataset, so its groups and best configuration
 * never mix test sets.
 */
export function sweepHparams(spec: SweepSpec, config: SweepConfig, seed: number): Hparams {
  return { ...defaultHparams(spec.preset), ...config, seed, trainSubset: spec.trainSubset, dataset: spec.dataset }
}

/** A short label for a configuration, e.g. "lr 0.001 · batch 64 · 2 ep · val 10%". */
export function configLabel(config: SweepConfig): string {
  return `lr ${config.learningRate} · batch ${config.batchSize} · ${config.epochs} ep · val ${Math.round(config.validationSplit * 1000) / 10}%`
}
