/** Medians and spreads of the benchmark's rounds, and when a ratio's spread is too wide to trust. */

/** A ratio whose (max − min) / median exceeds this is reported as not trustworthy. */
export const MAX_RELATIVE_SPREAD = 0.25

/** Fewer rounds than this say nothing about the spread. */
export const MIN_ROUNDS_TO_JUDGE = 3

/** Quantile `q` (0–1) of already sorted values, interpolating linearly between neighbours. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN
  const at = (sorted.length - 1) * q
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo)
}

export const median = (values: readonly number[]): number =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5
  )

/** Per-round ratios summed up; the `--json` field names of a preset's ratio. */
export interface RatioSummary {
  /** One ratio per round, in round order. */
  ratios: number[]
  median: number
  min: number
  max: number
  /** First and third quartiles. */
  quartiles: [number, number]
  /** (max − min) / median. */
  relativeSpread: number
  /** False when the spread is too wide, or there are too few rounds to tell. */
  trustworthy: boolean
}

export function summarizeRatios(ratios: readonly number[]): RatioSummary {
  const sorted = [...ratios].sort((a, b) => a - b)
  const mid = quantile(sorted, 0.5)
  const min = sorted[0]
  const max = sorted[sorted.length - 1]
  const relativeSpread = (max - min) / mid
  return {
    ratios: [...ratios],
    median: mid,
    min,
    max,
    quartiles: [quantile(sorted, 0.25), quantile(sorted, 0.75)],
    relativeSpread,
    trustworthy: ratios.length >= MIN_ROUNDS_TO_JUDGE && relativeSpread <= MAX_RELATIVE_SPREAD
  }
}

/** What to print beside an untrustworthy ratio, or null when it can be trusted. */
export function distrustNote(summary: RatioSummary): string | null {
  if (summary.trustworthy) return null
  if (summary.ratios.length < MIN_ROUNDS_TO_JUDGE) return `too few rounds to judge the spread; use --rounds ${MIN_ROUNDS_TO_JUDGE} or more`
  return 'spread too wide to trust; rerun on a quieter machine'
}
