/** Gathers what the Compare report shows from the core's services, then lays it out as a PDF. */
import { errorMessage } from '@shared/error-text'
import type { RunDetail } from '@shared/run'
import type { Significance, SubjectAccuracy } from '@shared/significance'
import type { DatasetService } from '@main/dataset-service'
import type { RunService } from '@main/runs/run-service'
import { mean } from 'simple-statistics'
import type { GroupDetail } from '@shared/group'
import { notFound } from '@main/errors'
import { groupSide, groupSignificance, runSignificance } from '@main/stats/compare-significance'
import { runLabel } from '@main/stats/significance-service'
import { wilsonInterval } from '@main/stats/wilson'
import { flattenObject } from '../flatten'
import { compareReportPdf, type CompareReportInput } from './compare-report-pdf'
import type { ReportEntity } from './report-charts'

export interface CompareReportDeps {
  runs: RunService
  dataset: DatasetService
  /** Where groups come from; without it a report of groups fails with not_found. */
  groups?: { getGroup(id: number): GroupDetail }
  appVersion: string
}

/** What to compare: runs and groups of seed repeats, each in the order given. */
export interface CompareReportRequest {
  ids: readonly number[]
  groupIds?: readonly number[]
}

/** Hyperparameters (and seed) whose values are not the same across all runs or groups. */
export function hparamDiff(subjects: readonly { hparams: object }[]): CompareReportInput['hparamDiff'] {
  const flats = subjects.map((r) => flattenObject(r.hparams))
  const paths = [...new Set(flats.flatMap((m) => [...m.keys()]))]
  return paths
    .map((path) => ({ path, values: flats.map((m) => m.get(path)) }))
    .filter((row) => row.values.some((v) => JSON.stringify(v) !== JSON.stringify(row.values[0])))
}

/** A group's shared hyperparameters, its seeds written as their range (`0–2`), as in Compare's diff. */
function groupHparams(members: readonly RunDetail[]): object {
  const seeds = members.map((m) => m.seed)
  return { ...members[0]?.hparams, seed: seeds.length ? `${Math.min(...seeds)}–${Math.max(...seeds)}` : '-' }
}

/** Each subject against the best of its kind (by test accuracy): the question a reader of the report asks. */
function againstBest<T>(items: readonly T[], accuracy: (t: T) => number): Array<[T, T]> {
  if (items.length < 2) return []
  const best = items.reduce((b, t) => (accuracy(t) > accuracy(b) ? t : b))
  return items.filter((t) => t !== best).map((t) => [t, best])
}

/** The report's bytes for the given runs and groups; unknown ids throw not_found before anything is made. */
export async function buildCompareReport(deps: CompareReportDeps, request: CompareReportRequest): Promise<Uint8Array> {
  const runs = deps.runs.getMany([...request.ids])
  const groups = (request.groupIds ?? []).map((id) => {
    if (!deps.groups) throw notFound(`Group ${id}`)
    return deps.groups.getGroup(id)
  })
  const entities: ReportEntity[] = [
    ...runs.map((r) => ({ key: `r${r.id}`, kind: 'run' as const, id: r.id, label: runLabel(r), runs: [r] })),
    ...groups.map((g) => ({ key: `g${g.id}`, kind: 'group' as const, id: g.id, label: `g${g.id} ${g.name}`, runs: g.members }))
  ]
  const finished = runs
    .map((run) => ({ run, predictions: run.metrics ? deps.runs.predictions(run.id) : null }))
    .filter((f): f is { run: RunDetail; predictions: NonNullable<typeof f.predictions> } => f.predictions !== null)
  const accuracies: SubjectAccuracy[] = []
  const comparisons: CompareReportInput['comparisons'] = []
  if (finished.length > 0) {
    let labels: Uint8Array | null = null
    let problem = ''
    try {
      labels = (await deps.dataset.testSet()).labels
    } catch (error) {
      problem = `the test labels could not be read (${errorMessage(error)}), so no test was made`
    }
    for (const { run, predictions } of finished) {
      const n = predictions.predicted.length
      const right = labels && labels.length === n ? predictions.predicted.reduce((s, p, i) => s + (p === labels![i] ? 1 : 0), 0) : null
      accuracies.push({
        kind: 'run', id: run.id, label: runLabel(run), accuracy: right === null ? (run.testAccuracy ?? 0) : right / n,
        interval: right === null ? null : wilsonInterval(right, n), intervalMethod: 'wilson', n, memberAccuracies: []
      })
    }
    for (const [other, best] of againstBest(finished, (f) => f.run.testAccuracy ?? 0)) {
      const label = `${runLabel(other.run)} against ${runLabel(best.run)}`
      if (!labels) comparisons.push({ label, problem })
      else if (other.predictions.predicted.length !== labels.length || best.predictions.predicted.length !== labels.length) {
        comparisons.push({ label, problem: 'the stored predictions do not cover the test set of the current dataset' })
      } else {
        const s: Significance = runSignificance(
          labels,
          { id: other.run.id, label: runLabel(other.run), predicted: other.predictions.predicted },
          { id: best.run.id, label: runLabel(best.run), predicted: best.predictions.predicted }
        )
        comparisons.push(s)
      }
    }
  }
  // Groups: Welch's t-test on the finished members' test accuracies, each group against the best group.
  const samples = groups.map((g) => ({
    id: g.id,
    label: `group g${g.id} ${g.name}`,
    memberAccuracies: g.members.flatMap((m) => (m.metrics ? [m.metrics.testAccuracy] : []))
  }))
  for (const g of samples.filter((x) => x.memberAccuracies.length > 0)) {
    accuracies.push(groupSide(g))
  }
  for (const [other, best] of againstBest(samples.filter((x) => x.memberAccuracies.length > 0), (x) => mean(x.memberAccuracies))) {
    comparisons.push(groupSignificance(other, best))
  }
  // A run beside groups counts as a group of one against the best group, as in Compare (the sentence
  // then says that one run is too few to tell).
  const tested = samples.filter((x) => x.memberAccuracies.length > 0)
  if (tested.length > 0) {
    const bestGroup = tested.reduce((b, g) => (mean(g.memberAccuracies) > mean(b.memberAccuracies) ? g : b))
    for (const a of accuracies.filter((x) => x.kind === 'run')) {
      comparisons.push(groupSignificance({ id: a.id, label: a.label, memberAccuracies: [a.accuracy] }, bestGroup))
    }
  }
  for (const g of samples.filter((x) => x.memberAccuracies.length === 0)) {
    comparisons.push({ label: g.label, problem: 'none of its runs has finished with a test accuracy yet, so it is not tested' })
  }
  return compareReportPdf({
    entities,
    accuracies,
    comparisons,
    hparamDiff: hparamDiff(entities.map((e) => ({ hparams: e.kind === 'run' ? e.runs[0]!.hparams : groupHparams(e.runs) }))),
    generatedAt: new Date(),
    appVersion: deps.appVersion
  })
}
