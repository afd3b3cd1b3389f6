/** The one-sentence verdicts of `compare.significance`, in words a person reads without a statistics course. */
import { ALPHA, type PairedCounts, type Significance } from '@shared/significance'

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** `p < 0.001`, `p = 0.004`, `p = 0.31`; never rounds a p-value below α up to α. */
export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001'
  let digits = p >= 0.1 ? p.toFixed(2) : p.toPrecision(2)
  if (p < ALPHA && Number(digits) >= ALPHA) digits = p.toPrecision(3)
  return `p = ${Number(digits)}`
}

const verdictWords = (p: number): string => (p < ALPHA ? 'a real difference' : 'not distinguishable from noise')

/** The sentence and verdict for two runs' paired predictions. */
export function runsSentence(a: string, b: string, counts: PairedCounts, p: number): Pick<Significance, 'sentence' | 'verdict'> {
  const { aOnly, bOnly } = counts
  if (aOnly + bOnly === 0) {
    return { verdict: 'identical', sentence: `${a} and ${b} get exactly the same test images right: there is no difference to test.` }
  }
  const verdict = p < ALPHA ? 'real' : 'noise'
  if (aOnly === bOnly) {
    return {
      verdict,
      sentence: `${a} and ${b} get the same number of test images right (each gets ${plural(aOnly, 'image')} right that the other gets wrong): ${formatP(p)}, ${verdictWords(p)}.`
    }
  }
  const [better, worse] = bOnly > aOnly ? [b, a] : [a, b]
  const more = Math.abs(bOnly - aOnly)
  return {
    verdict,
    sentence: `${better} gets ${plural(more, 'more test image', 'more test images')} right than ${worse}: ${formatP(p)}, ${verdictWords(p)}.`
  }
}

/** The sentence and verdict for two groups' member accuracies under Welch's test. */
export function groupsSentence(
  a: { label: string; n: number },
  b: { label: string; n: number },
  result: { difference: number; p: number } | null
): Pick<Significance, 'sentence' | 'verdict'> {
  if (!result) {
    const few = [a, b].filter((g) => g.n < 2).map((g) => `${g.label} has ${plural(g.n, 'finished run')}`)
    return {
      verdict: 'too-few',
      sentence: `${few.join(' and ')}: comparing groups needs at least 2 finished runs in each, so nothing can be said yet.`
    }
  }
  const points = Math.abs(result.difference * 100)
  if (points === 0) {
    return {
      verdict: result.p < ALPHA ? 'real' : 'noise',
      sentence: `${a.label} and ${b.label} have the same mean test accuracy: ${formatP(result.p)}, ${verdictWords(result.p)}.`
    }
  }
  const [better, worse] = result.difference > 0 ? [b, a] : [a, b]
  return {
    verdict: result.p < ALPHA ? 'real' : 'noise',
    sentence:
      // "The 3 runs of X", never "X's 3 runs": group names end in "seeds", and "seeds's" reads wrong.
      `The ${plural(better.n, 'run')} of ${better.label} average ${points.toFixed(2)} percentage points higher test accuracy than ` +
      `the ${worse.n} of ${worse.label}: ${formatP(result.p)} (Welch's t-test), ${verdictWords(result.p)}.`
  }
}
