/** The distribution functions the tests need, all from jStat; nothing here is a hand-written distribution. */
import jStat from 'jstat'

/** P(X ≤ k) for X ~ Binomial(n, p), through the regularised incomplete beta (accurate far into the tail). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0
  if (k >= n) return 1
  // P(X ≤ k) = I_{1−p}(n − k, k + 1); jStat.binomial.cdf rounds to 1e-10, which would turn tiny p-values into 0.
  return jStat.ibeta(1 - p, n - k, k + 1)
}

/** The standard normal quantile. */
export const normalQuantile = (p: number): number => jStat.normal.inv(p, 0, 1)

/** P(T ≤ t) for Student's t with `dof` degrees of freedom (dof may be fractional, as in Welch's test). */
export const studentTCdf = (t: number, dof: number): number => jStat.studentt.cdf(t, dof)

/** Student's t quantile. */
export const studentTQuantile = (p: number, dof: number): number => jStat.studentt.inv(p, dof)
