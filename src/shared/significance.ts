/** Whether one run (or group of runs) is really better than another: the contract of `compare.significance`. */
import { z } from 'zod'

const id = z.number().int().positive()

/** What is compared: one run, or a group of repeated runs (its members' test accuracies). */
export const compareSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), id }).strict(),
  z.object({ kind: z.literal('group'), id }).strict()
])
export type CompareSubject = z.infer<typeof compareSubjectSchema>

/** The paired 2 × 2 table of two runs on the same test images. */
export interface PairedCounts {
  bothRight: number
  /** Images A gets right and B gets wrong (a discordant cell). */
  aOnly: number
  /** Images B gets right and A gets wrong (the other discordant cell). */
  bOnly: number
  bothWrong: number
}

/** One side's test accuracy with its 95 % interval. */
export interface SubjectAccuracy {
  kind: CompareSubject['kind']
  id: number
  /** How sentences and reports name it, e.g. `#12 dense lr 0.003`. */
  label: string
  /** Test accuracy of a run, or the mean of a group's members. */
  accuracy: number
  /** 95 % interval: Wilson's for a run, Student's t for a group's mean; null for a group of fewer than 2. */
  interval: { low: number; high: number } | null
  intervalMethod: 'wilson' | 't'
  /** Test images (run) or finished members (group) behind the figure. */
  n: number
  /** Each member's test accuracy (groups only; a run has its own one). */
  memberAccuracies: number[]
}

/** The answer to "is B really better than A?". */
export interface Significance {
  a: SubjectAccuracy
  b: SubjectAccuracy
  /** McNemar's exact test for two runs, Welch's t-test for two groups (the test asked for, also when it was refused). */
  test: 'mcnemar-exact' | 'welch-t'
  /** The paired table (two runs only). */
  counts: PairedCounts | null
  /** Two-sided p-value; null when the test could not run (too few members). */
  p: number | null
  /** Welch's t statistic and degrees of freedom (groups only). */
  t: number | null
  df: number | null
  /**
   * `real` at p < 0.05, `noise` otherwise, `identical` with nothing to tell apart, `too-few` members to
   * test, `different-test-sets` when A and B were not scored on the same test images (other dataset, or
   * other files of it): nothing was tested, the sentence says why and the accuracies stand side by side.
   */
  verdict: 'real' | 'noise' | 'identical' | 'too-few' | 'different-test-sets'
  /** One plain sentence, e.g. "B gets 453 more test images right than A: p < 0.001, a real difference." */
  sentence: string
}

/** The significance level sentences use. */
export const ALPHA = 0.05
