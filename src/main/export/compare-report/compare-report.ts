/** Gathers what the Compare report shows from the core's services, then lays it out as a PDF. */
import type { RunDetail } from '@shared/run'
import type { Significance, SubjectAccuracy } from '@shared/significance'
import type { DatasetService } from '@main/dataset-service'
import type { RunService } from '@main/runs/run-service'
import { runSignificance } from '@main/stats/compare-significance'
import { runLabel } from '@main/stats/significance-service'
import { wilsonInterval } from '@main/stats/wilson'
import { flattenObject } from '../flatten'
import { compareReportPdf, type CompareReportInput } from './compare-report-pdf'

export interface CompareReportDeps {
  runs: RunService
  dataset: DatasetService
  appVersion: string
}

/** Hyperparameters (and seed) whose values are not the same across all runs. */
export function hparamDiff(runs: readonly Pick<RunDetail, 'hparams'>[]): CompareReportInput['hparamDiff'] {
  const flats = runs.map((r) => flattenObject(r.hparams))
  const paths = [...new Set(flats.flatMap((m) => [...m.keys()]))]
  return paths
    .map((path) => ({ path, values: flats.map((m) => m.get(path)) }))
    .filter((row) => row.values.some((v) => JSON.stringify(v) !== JSON.stringify(row.values[0])))
}

/** The report's bytes for the given runs (in the order given); unknown ids throw not_found before anything is made. */
export async function buildCompareReport(deps: CompareReportDeps, ids: readonly number[]): Promise<Uint8Array> {
  const runs = deps.runs.getMany([...ids])
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
      problem = `the test labels could not be read (${error instanceof Error ? error.message : String(error)}), so no test was made`
    }
    for (const { run, predictions } of finished) {
      const n = predictions.predicted.length
      const right = labels && labels.length === n ? predictions.predicted.reduce((s, p, i) => s + (p === labels![i] ? 1 : 0), 0) : null
      accuracies.push({
        kind: 'run', id: run.id, label: runLabel(run), accuracy: right === null ? (run.testAccuracy ?? 0) : right / n,
        interval: right === null ? null : wilsonInterval(right, n), intervalMethod: 'wilson', n, memberAccuracies: []
      })
    }
    // Each run against the best one: the question a reader of the report asks.
    const best = finished.reduce((b, f) => ((f.run.testAccuracy ?? 0) > (b.run.testAccuracy ?? 0) ? f : b))
    for (const other of finished.filter((f) => f !== best)) {
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
  return compareReportPdf({ runs, accuracies, comparisons, hparamDiff: hparamDiff(runs), generatedAt: new Date(), appVersion: deps.appVersion })
}
