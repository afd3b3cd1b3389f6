/** Wilson's score interval for a proportion (Wilson 1927; method 3 in Newcombe 1998). */
import { normalQuantile } from './distributions'

/** A two-sided confidence interval. */
export interface Interval {
  low: number
  high: number
}

/** The Wilson score interval of `successes` out of `n` at `confidence` (default 95 %). */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`A proportion needs at least one trial, got n = ${n}.`)
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`Successes must be a whole number from 0 to ${n}, got ${successes}.`)
  }
  const z = normalQuantile(1 - (1 - confidence) / 2)
  const p = successes / n
  const z2n = (z * z) / n
  const centre = (p + z2n / 2) / (1 + z2n)
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))
  // Clamp the rounding at the ends: with 0 or n successes one bound is exactly 0 or 1.
  return { low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === n ? 1 : Math.min(1, centre + half) }
}
