/** Welch's unequal-variance t-test and the t interval of a mean, for the member accuracies of two groups. */
import { studentTCdf, studentTQuantile } from './distributions'
import type { Interval } from './wilson'

/** What Welch's test found, or why it could not run. */
export type WelchResult =
  | {
      ok: true
      /** Mean of B minus mean of A. */
      difference: number
      t: number
      /** Welch–Satterthwaite degrees of freedom. */
      df: number
      /** Two-sided p-value. */
      p: number
    }
  | {
      ok: false
      /** Each group needs two members or more to estimate its spread. */
      reason: 'too-few'
    }

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length
const variance = (xs: readonly number[], m: number): number => xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)

/** Welch's two-sided t-test of mean(b) against mean(a). */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  if (a.length < 2 || b.length < 2) return { ok: false, reason: 'too-few' }
  const ma = mean(a)
  const mb = mean(b)
  const qa = variance(a, ma) / a.length
  const qb = variance(b, mb) / b.length
  const se2 = qa + qb
  const difference = mb - ma
  if (se2 === 0) {
    // Every member of both groups scored the same: the means either agree exactly or differ with no noise at all.
    return {
      ok: true,
      difference,
      t: difference === 0 ? 0 : Math.sign(difference) * Infinity,
      df: a.length + b.length - 2,
      p: difference === 0 ? 1 : 0
    }
  }
  const t = difference / Math.sqrt(se2)
  const df = se2 ** 2 / (qa ** 2 / (a.length - 1) + qb ** 2 / (b.length - 1))
  return { ok: true, difference, t, df, p: Math.min(1, 2 * studentTCdf(-Math.abs(t), df)) }
}

/** The mean of `xs` with its Student t interval (null with fewer than two values). */
export function meanInterval(xs: readonly number[], confidence = 0.95): { mean: number; interval: Interval | null } {
  if (xs.length === 0) throw new RangeError('A mean needs at least one value.')
  const m = mean(xs)
  if (xs.length < 2) return { mean: m, interval: null }
  const half = studentTQuantile(1 - (1 - confidence) / 2, xs.length - 1) * Math.sqrt(variance(xs, m) / xs.length)
  return { mean: m, interval: { low: m - half, high: m + half } }
}
