/** The Experiments table as CSV: one row per run, every column the table shows, then every hyperparameter. */
import type { Hparams } from '@shared/hparams'
import type { RunSummary } from '@shared/run'
import { toCsv, type CsvCell } from './csv'
import { flattenObject } from './flatten'

/** Fields of a run beyond its list row. */
export interface RunExtras {
  hparams: Hparams
  /** The dataset it trained on (its name; `hparams.dataset` when absent). */
  dataset?: { name: string }
  /** The checksum of the data it loaded (null before it started, or for runs recorded before checksums). */
  datasetChecksum?: string | null
}

/** Training time as the app shows it: the sum of the recorded epochs' durations (`RunSummary.trainingMs`). */
const seconds = (r: RunSummary): number | null => (r.epochsDone > 0 ? Math.round(r.trainingMs) / 1000 : null)

const SUMMARY_COLUMNS: Array<[string, (r: RunSummary) => CsvCell]> = [
  ['id', (r) => r.id],
  ['name', (r) => r.name],
  ['preset', (r) => r.preset],
  ['status', (r) => r.status],
  ['best_val_accuracy', (r) => r.bestValAccuracy],
  ['test_accuracy', (r) => r.testAccuracy],
  ['test_loss', (r) => r.testLoss],
  ['epochs_done', (r) => r.epochsDone],
  ['epochs_planned', (r) => r.epochsPlanned],
  ['training_s', seconds],
  ['backend', (r) => r.backend],
  ['created_at', (r) => r.createdAt],
  ['started_at', (r) => r.startedAt],
  ['finished_at', (r) => r.finishedAt],
  ['tags', (r) => r.tags.join(';')],
  ['error', (r) => r.errorMessage]
]

/** The dataset each run trained on, and the checksum of the data it loaded. */
const DATASET_COLUMNS = ['dataset', 'dataset_checksum']

/**
 * Rows in the order given (the table's filter and sort); hyperparameter columns (`hp.learningRate`,
 * `hp.earlyStopping.patience`, …) are the union over the runs, blank where a run lacks one.
 */
export function runsTableCsv(runs: readonly RunSummary[], extras: ReadonlyMap<number, RunExtras>): string {
  const flats = runs.map((r) => {
    const hp = extras.get(r.id)?.hparams
    // A custom run's architecture is one cell, its name; its layers would be dozens of columns.
    return hp ? flattenObject({ ...hp, architecture: hp.architecture?.name ?? null }) : new Map<string, unknown>()
  })
  const hpKeys = [...new Set(flats.flatMap((m) => [...m.keys()]))]
  // The dataset columns follow the earlier ones, so spreadsheets reading columns by position keep working.
  const datasetCells = (r: RunSummary): CsvCell[] => {
    const x = extras.get(r.id)
    return [x?.dataset?.name ?? x?.hparams.dataset ?? null, x?.datasetChecksum ?? null]
  }
  const header = [...SUMMARY_COLUMNS.map(([name]) => name), ...DATASET_COLUMNS, ...hpKeys.map((k) => `hp.${k}`)]
  const rows = runs.map((r, i) => [
    ...SUMMARY_COLUMNS.map(([, get]) => get(r)),
    ...datasetCells(r),
    ...hpKeys.map((k) => flats[i]!.get(k) as CsvCell)
  ])
  return toCsv(header, rows)
}
