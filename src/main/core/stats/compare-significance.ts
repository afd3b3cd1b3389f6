/** Builds the `compare.significance` answer from two runs' stored predictions or two groups' member accuracies. */
import type { Significance, SubjectAccuracy } from '@shared/significance'
import { NO_GROUP_TEST, NO_PAIRED_TEST, testSetMismatch, type TestSetOf } from '@shared/same-test-set'
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
  /** The test set it was scored on; paired tests need the same one on both sides. */
  testSet: TestSetOf
  /** Its stored test accuracy (shown side by side when no paired test is possible). */
  testAccuracy: number | null
}

/** What McNemar's test reads of a run: its predictions (the test set was checked before). */
export type PairedRun = Pick<RunSample, 'id' | 'label' | 'predicted'>

/** One group's side: the test accuracy of each finished member. */
export interface GroupSample {
  id: number
  label: string
  memberAccuracies: readonly number[]
  /** The test set of each finished member; Welch's test needs one and the same on both sides. */
  testSets: readonly TestSetOf[]
}

function runSide(run: Pick<RunSample, 'id' | 'label'>, right: number, n: number): SubjectAccuracy {
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

/**
 * Why two runs cannot be tested against each other (their test sets differ), as the full sentence the
 * answer gives; null when they were scored on the same test images.
 */
export function runsRefusal(a: RunSample, b: RunSample): string | null {
  const why = testSetMismatch({ label: a.label, sets: [a.testSet] }, { label: b.label, sets: [b.testSet] })
  return why && why + NO_PAIRED_TEST
}

/** The answer when the test sets differ: no test, each run's own accuracy with its Wilson interval on its own test set. */
export function refusedRuns(a: RunSample, b: RunSample, sentence: string): Significance {
  const side = (run: RunSample): SubjectAccuracy => {
    const n = run.predicted.length
    const right = Math.round((run.testAccuracy ?? 0) * n)
    return { ...runSide(run, right, n), accuracy: run.testAccuracy ?? right / n }
  }
  return {
    a: side(a),
    b: side(b),
    test: 'mcnemar-exact',
    counts: null,
    p: null,
    t: null,
    df: null,
    verdict: 'different-test-sets',
    sentence
  }
}

/** McNemar's exact test on two runs' predictions of the same labelled test images. */
export function runSignificance(labels: ArrayLike<number>, a: PairedRun, b: PairedRun): Significance {
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
  const sides = { a: groupSide(a), b: groupSide(b) }
  const mismatch = testSetMismatch({ label: a.label, sets: a.testSets }, { label: b.label, sets: b.testSets })
  if (mismatch) {
    return {
      ...sides,
      test: 'welch-t',
      counts: null,
      p: null,
      t: null,
      df: null,
      verdict: 'different-test-sets',
      sentence: mismatch + NO_GROUP_TEST
    }
  }
  const result = welchTTest(a.memberAccuracies, b.memberAccuracies)
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
