/** Builds the `compare.significance` answer from two runs' stored predictions or two groups' member accuracies. */
import type { Significance, SubjectAccuracy } from '@shared/significance'
import { mcnemarExactP, pairedCounts } from './mcnemar'
import { groupsSentence, runsSentence } from './significance-sentence'
import { meanInterval, welchTTest } from './welch'
import { wilsonInterval } from './wilson'

/** One run's side of a paired comparison. */
export interface RunSample {
  id: number
  label: string
  /** Predicted class of every test image, in test-set order. */
  predicted: ArrayLike<number>
}

/** One group's side: the test accuracy of each finished member. */
export interface GroupSample {
  id: number
  label: string
  memberAccuracies: readonly number[]
}

function runSide(run: RunSample, right: number, n: number): SubjectAccuracy {
  return {
    kind: 'run',
    id: run.id,
    label: run.label,
    accuracy: right / n,
    interval: wilsonInterval(right, n),
    intervalMethod: 'wilson',
    n,
    memberAccuracies: []
  }
}

/** McNemar's exact test on two runs' predictions of the same labelled test images. */
export function runSignificance(labels: ArrayLike<number>, a: RunSample, b: RunSample): Significance {
  const counts = pairedCounts(labels, a.predicted, b.predicted)
  const n = labels.length
  const p = mcnemarExactP(counts)
  return {
    a: runSide(a, counts.bothRight + counts.aOnly, n),
    b: runSide(b, counts.bothRight + counts.bOnly, n),
    test: 'mcnemar-exact',
    counts,
    p,
    t: null,
    df: null,
    ...runsSentence(a.label, b.label, counts, p)
  }
}

/** A group's side of a comparison: its members' mean test accuracy with a t interval. */
export function groupSide(group: GroupSample): SubjectAccuracy {
  const { mean, interval } = meanInterval(group.memberAccuracies)
  return {
    kind: 'group',
    id: group.id,
    label: group.label,
    accuracy: mean,
    interval,
    intervalMethod: 't',
    n: group.memberAccuracies.length,
    memberAccuracies: [...group.memberAccuracies]
  }
}

/** Welch's t-test on two groups' member accuracies; says so plainly when a group has fewer than two. */
export function groupSignificance(a: GroupSample, b: GroupSample): Significance {
  if (a.memberAccuracies.length === 0 || b.memberAccuracies.length === 0) {
    const empty = a.memberAccuracies.length === 0 ? a : b
    throw new RangeError(`${empty.label} has no finished runs with a test accuracy yet; compare it once one has finished.`)
  }
  const result = welchTTest(a.memberAccuracies, b.memberAccuracies)
  const sides = { a: groupSide(a), b: groupSide(b) }
  return {
    ...sides,
    test: 'welch-t',
    counts: null,
    p: result.ok ? result.p : null,
    t: result.ok ? result.t : null,
    df: result.ok ? result.df : null,
    ...groupsSentence({ label: a.label, n: sides.a.n }, { label: b.label, n: sides.b.n }, result.ok ? result : null)
  }
}
