/**
 * Gathers what the Compare report shows, then lays it out as a PDF: the one Compare model (the same
 * the screen draws) and the significance service's answers (the same `compare.significance` gives).
 */
import { errorMessage } from '@shared/error-text'
import { compareModel } from '@shared/compare-model'
import type { CompareSubject, SubjectAccuracy } from '@shared/significance'
import type { Predictions } from '@shared/run'
import type { GroupDetail } from '@shared/group'
import type { RunService } from '@main/core/runs/run-service'
import { testSetOf, type TestSetOf } from '@shared/same-test-set'
import { mean } from 'simple-statistics'
import { CoreError, notFound } from '@main/core/errors'
import { groupSide } from '@main/core/stats/compare-significance'
import { groupSampleOf, groupSourceOf } from '@main/core/stats/group-source'
import { createSignificanceService, runLabel, testLabelsFor, type TestSetSource } from '@main/core/stats/significance-service'
import { wilsonInterval } from '@main/core/stats/wilson'
import type { CompareReportInput } from './compare-report-pdf'

export interface CompareReportDeps {
  runs: Pick<RunService, 'get' | 'getMany' | 'predictions'>
  dataset: TestSetSource
  /** Where groups come from; without it a report of groups fails with not_found. */
  groups?: { getGroup(id: number): Promise<GroupDetail> }
  appVersion: string
}

/** What to compare: runs and groups of seed repeats, each in the order given. */
export interface CompareReportRequest {
  ids: readonly number[]
  groupIds?: readonly number[]
}

/** Each subject against the best of its kind (by test accuracy): the question a reader of the report asks. */
function againstBest<T>(items: readonly T[], accuracy: (t: T) => number): Array<[T, T]> {
  if (items.length < 2) return []
  const best = items.reduce((b, t) => (accuracy(t) > accuracy(b) ? t : b))
  return items.filter((t) => t !== best).map((t) => [t, best])
}

/**
 * Each subject against the best on its own test set (`key`), and the best of each other test set
 * against the best of all (those comparisons are refused with the sentence saying why): nothing is
 * tested across datasets, and the reader still learns that it was not.
 */
function againstBestWithin<T>(items: readonly T[], accuracy: (t: T) => number, key: (t: T) => string): Array<[T, T]> {
  const clusters = new Map<string, T[]>()
  for (const t of items) clusters.set(key(t), [...(clusters.get(key(t)) ?? []), t])
  const pairs = [...clusters.values()].flatMap((c) => againstBest(c, accuracy))
  const bests = [...clusters.values()].map((c) => c.reduce((b, t) => (accuracy(t) > accuracy(b) ? t : b)))
  return [...pairs, ...againstBest(bests, accuracy)]
}

const testSetKey = (sets: readonly TestSetOf[]): string => JSON.stringify([...new Set(sets.map((s) => `${s.name} ${s.checksum}`))].sort())

/** The report's bytes for the given runs and groups; unknown ids throw not_found before anything is made. */
export async function buildCompareReport(deps: CompareReportDeps, request: CompareReportRequest): Promise<Uint8Array> {
  const runs = await deps.runs.getMany([...request.ids])
  const groups: GroupDetail[] = []
  for (const id of request.groupIds ?? []) {
    if (!deps.groups) throw notFound(`Group ${id}`)
    groups.push(await deps.groups.getGroup(id))
  }
  const model = compareModel({ runs, groups: groups.map((g) => ({ id: g.id, name: g.name, members: g.members })) })
  const stats = createSignificanceService({
    runs: deps.runs,
    dataset: deps.dataset,
    groups: deps.groups ? groupSourceOf(deps.groups) : undefined
  })
  const comparisons: CompareReportInput['comparisons'] = []
  /** One test through the service; what stops it (no predictions, another test set) is printed in its place. */
  const compare = async (label: string, a: CompareSubject, b: CompareSubject): Promise<void> => {
    try {
      comparisons.push(await stats.significance(a, b))
    } catch (error) {
      if (error instanceof CoreError && error.code === 'not_found') throw error
      comparisons.push({ label, problem: errorMessage(error) })
    }
  }

  // Runs: each finished run's Wilson interval, and McNemar's test of each against the best run.
  const accuracies: SubjectAccuracy[] = []
  const stored = new Map<number, Predictions>()
  for (const r of runs) {
    const predictions = r.metrics ? await deps.runs.predictions(r.id) : null
    if (predictions) stored.set(r.id, predictions)
  }
  const finished = runs.filter((r) => stored.has(r.id))
  if (finished.length > 0) {
    for (const run of finished) {
      const predicted = stored.get(run.id)!.predicted
      const n = predicted.length
      // Each run scored on its own dataset's test labels; without them, its stored accuracy and no interval.
      const labels = await testLabelsFor(deps.dataset, run.dataset, n).catch(() => null)
      const right = labels && labels.length === n ? predicted.reduce((s, p, i) => s + (p === labels[i] ? 1 : 0), 0) : null
      accuracies.push({
        kind: 'run',
        id: run.id,
        label: runLabel(run),
        accuracy: right === null ? (run.testAccuracy ?? 0) : right / n,
        interval: right === null ? null : wilsonInterval(right, n),
        intervalMethod: 'wilson',
        n,
        memberAccuracies: []
      })
    }
  }
  const runKey = (r: (typeof finished)[number]): string => testSetKey([testSetOf(r)])
  for (const [other, best] of againstBestWithin(finished, (r) => r.testAccuracy ?? 0, runKey)) {
    await compare(`${runLabel(other)} against ${runLabel(best)}`, { kind: 'run', id: other.id }, { kind: 'run', id: best.id })
  }

  // Groups: Welch's t-test on the finished members' test accuracies, each group against the best group.
  const samples = groups.map(groupSampleOf)
  const tested = samples.filter((x) => x.memberAccuracies.length > 0)
  for (const g of tested) accuracies.push(groupSide(g))
  for (const [other, best] of againstBestWithin(
    tested,
    (x) => mean(x.memberAccuracies),
    (x) => testSetKey(x.testSets)
  )) {
    await compare(`${other.label} against ${best.label}`, { kind: 'group', id: other.id }, { kind: 'group', id: best.id })
  }
  // A run beside groups counts as a group of one against the best group, as in Compare (the sentence
  // then says that one run is too few to tell).
  if (tested.length > 0) {
    for (const run of runs.filter((r) => r.testAccuracy !== null)) {
      // The best group on the run's own test set when there is one (else the best of all, and the test is refused).
      const own = tested.filter((g) => testSetKey(g.testSets) === runKey(run))
      const bestGroup = (own.length ? own : tested).reduce((b, g) => (mean(g.memberAccuracies) > mean(b.memberAccuracies) ? g : b))
      await compare(`${runLabel(run)} against ${bestGroup.label}`, { kind: 'run', id: run.id }, { kind: 'group', id: bestGroup.id })
    }
  }
  for (const g of samples.filter((x) => x.memberAccuracies.length === 0)) {
    comparisons.push({ label: g.label, problem: 'none of its runs has finished with a test accuracy yet, so it is not tested' })
  }
  // pdfkit, fonts and ECharts take ~3 s to load: only a report pays for them, not every CLI command.
  const { compareReportPdf } = await import('./compare-report-pdf')
  return compareReportPdf({ model, accuracies, comparisons, generatedAt: new Date(), appVersion: deps.appVersion })
}
