/** Mean and spread of a handful of measurements (a group's member accuracies, a group's curve at one epoch). */
import { max, mean, min, sampleStandardDeviation } from 'simple-statistics'

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
