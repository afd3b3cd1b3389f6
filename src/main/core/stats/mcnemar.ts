/** McNemar's exact test on two classifiers' paired predictions of the same test images. */
import type { PairedCounts } from '@shared/significance'
import { binomialCdf } from './distributions'

/** Counts the four cells from the true labels and both runs' predicted classes. */
export function pairedCounts(labels: ArrayLike<number>, predictedA: ArrayLike<number>, predictedB: ArrayLike<number>): PairedCounts {
  if (predictedA.length !== labels.length || predictedB.length !== labels.length) {
    throw new RangeError(
      `Paired predictions must cover the same images: ${labels.length} labels, ${predictedA.length} and ${predictedB.length} predictions.`
    )
  }
  const counts: PairedCounts = { bothRight: 0, aOnly: 0, bOnly: 0, bothWrong: 0 }
  for (let i = 0; i < labels.length; i++) {
    const a = predictedA[i] === labels[i]
    const b = predictedB[i] === labels[i]
    if (a && b) counts.bothRight++
    else if (a) counts.aOnly++
    else if (b) counts.bOnly++
    else counts.bothWrong++
  }
  return counts
}

/**
 * Two-sided exact McNemar p-value: under "no difference" each discordant image is equally likely to
 * fall either way, so the smaller discordant count is Binomial(aOnly + bOnly, ½); p = 2·P(X ≤ min),
 * capped at 1 (as R's binom.test and exact2x2::mcnemar.exact compute it). With no discordant images
 * there is no evidence of a difference at all, and p = 1.
 */
export function mcnemarExactP(counts: Pick<PairedCounts, 'aOnly' | 'bOnly'>): number {
  const n = counts.aOnly + counts.bOnly
  if (n === 0) return 1
  return Math.min(1, 2 * binomialCdf(Math.min(counts.aOnly, counts.bOnly), n, 0.5))
}
