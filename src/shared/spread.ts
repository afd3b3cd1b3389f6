/** Mean and spread of a handful of measurements (a group's member accuracies, a group's curve at one epoch). */
import { max, mean, min, sampleStandardDeviation } from 'simple-statistics'
import type { EpochRecord } from './run'

/** Summary statistics of n values. */
export interface Spread {
  /** How many values were summarised. */
  n: number
  mean: number
  /** Sample standard deviation (divides by n − 1); null when n < 2, where it is undefined. */
  std: number | null
  min: number
  max: number
}

/** Mean, sample standard deviation (n − 1), min and max of the finite values; null when there are none. */
export function spreadOf(values: ReadonlyArray<number | null | undefined>): Spread | null {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  if (finite.length === 0) return null
  return {
    n: finite.length,
    mean: mean(finite),
    std: finite.length >= 2 ? sampleStandardDeviation(finite) : null,
    min: min(finite),
    max: max(finite)
  }
}

/** A curve's value at one epoch over a group's members. */
export interface CurvePoint extends Spread {
  epoch: number
}

/** Mean, sample std, min and max of a metric at each epoch, over the runs that recorded that epoch. */
export function meanCurve(
  runs: ReadonlyArray<{ history: readonly EpochRecord[] }>,
  metric: keyof Omit<EpochRecord, 'epoch'>
): CurvePoint[] {
  const byEpoch = new Map<number, number[]>()
  for (const run of runs) {
    for (const h of run.history) {
      const values = byEpoch.get(h.epoch)
      if (values) values.push(h[metric])
      else byEpoch.set(h.epoch, [h[metric]])
    }
  }
  return [...byEpoch]
    .sort(([a], [b]) => a - b)
    .flatMap(([epoch, values]) => {
      const s = spreadOf(values)
      return s ? [{ epoch, ...s }] : []
    })
}
