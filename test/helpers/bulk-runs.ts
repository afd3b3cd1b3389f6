/**
 * Finished runs written straight into a run store's tables with multi-row INSERTs: a few
 * statements per thousand rows instead of four round trips per epoch through the repositories.
 * For tests and benchmarks that need thousands of runs (the rows are what the repositories would
 * have written: the same columns, epochs_done and best_val_accuracy from the history, probabilities
 * little-endian), on SQLite and PostgreSQL alike.
 */
import pg from 'pg'
import { parseHparams, type Hparams } from '@shared/hparams'
import type { BackendInfo, EpochRecord, Predictions, RunStatus, TestMetrics } from '@shared/run'

/** Runs one SQL statement with `?` placeholders and returns its rows (for RETURNING). */
export type SqlExec = (text: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>

/** One finished run as it should end up in the store. */
export interface BulkRun {
  /** Unique within one call: the inserted ids are matched back by name. */
  name: string
  hparams: Hparams
  status: RunStatus
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  history: readonly EpochRecord[]
  backendInfo: BackendInfo | null
  datasetChecksum?: string | null
  /** Process recorded as the run's driver (null: none). */
  ownerPid?: number | null
  appVersion?: string
  results?: { metrics: TestMetrics; predictions: Predictions }
}

/** Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000
/** Result rows carry 10,000 predictions (about 440 kB each): a few per statement. */
const RESULTS_PER_STATEMENT = 8

const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v)

function littleEndian(values: Float32Array): Buffer {
  const bytes = Buffer.allocUnsafe(values.length * 4)
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i]!, i * 4)
  return bytes
}

/** Inserts `rows` (each an array in `columns` order) in as few statements as the parameter limit allows. */
async function insertRows(
  exec: SqlExec,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  options: { perStatement?: number; returning?: string } = {}
): Promise<Array<Record<string, unknown>>> {
  const per = options.perStatement ?? Math.floor(MAX_PARAMS / columns.length)
  const tuple = `(${columns.map(() => '?').join(', ')})`
  const returned: Array<Record<string, unknown>> = []
  for (let at = 0; at < rows.length; at += per) {
    const chunk = rows.slice(at, at + per)
    const text =
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}` +
      (options.returning ? ` RETURNING ${options.returning}` : '')
    returned.push(...(await exec(text, chunk.flat())))
  }
  return returned
}

/** Inserts the runs with their epochs and results; returns their ids in the order given. */
export async function insertRunsInBulk(exec: SqlExec, runs: readonly BulkRun[]): Promise<number[]> {
  const runRows = runs.map((run) => {
    const parsed = parseHparams(run.hparams)
    if (!parsed.ok) throw new Error(`bulk run "${run.name}": invalid hyperparameters`)
    const h = parsed.value
    const vals = run.history.map((e) => nanToNull(e.valAccuracy)).filter((v): v is number => v !== null)
    return [
      run.name,
      h.preset,
      h.dataset,
      JSON.stringify(h),
      run.status,
      run.createdAt,
      run.startedAt,
      run.finishedAt,
      run.backendInfo?.name ?? null,
      run.backendInfo ? JSON.stringify(run.backendInfo) : null,
      run.appVersion ?? '0.1.0',
      h.seed,
      run.datasetChecksum ?? null,
      h.epochs,
      run.history.reduce((done, e) => Math.max(done, e.epoch), 0),
      vals.length ? Math.max(...vals) : null,
      run.ownerPid ?? null
    ]
  })
  const inserted = await insertRows(
    exec,
    'runs',
    [
      'name',
      'preset',
      'dataset',
      'hparams',
      'status',
      'created_at',
      'started_at',
      'finished_at',
      'backend',
      'backend_info',
      'app_version',
      'seed',
      'dataset_checksum',
      'epochs_planned',
      'epochs_done',
      'best_val_accuracy',
      'owner_pid'
    ],
    runRows,
    { returning: 'id, name' }
  )
  const idOf = new Map(inserted.map((row) => [String(row.name), Number(row.id)]))
  const ids = runs.map((run) => idOf.get(run.name)!)

  const epochRows = runs.flatMap((run, i) =>
    run.history.map((e) => [
      ids[i],
      e.epoch,
      nanToNull(e.loss),
      nanToNull(e.accuracy),
      nanToNull(e.valLoss),
      nanToNull(e.valAccuracy),
      nanToNull(e.learningRate),
      e.durationMs
    ])
  )
  await insertRows(
    exec,
    'epochs',
    ['run_id', 'epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'learning_rate', 'duration_ms'],
    epochRows
  )

  const resultRows = runs.flatMap((run, i) => {
    if (!run.results) return []
    const { metrics, predictions } = run.results
    return [
      [
        ids[i],
        nanToNull(metrics.testLoss),
        nanToNull(metrics.testAccuracy),
        JSON.stringify(metrics.perClass),
        JSON.stringify(metrics.confusion),
        metrics.batchNorm ? JSON.stringify(metrics.batchNorm) : null,
        Buffer.from(predictions.predicted.buffer, predictions.predicted.byteOffset, predictions.predicted.byteLength),
        littleEndian(predictions.probabilities)
      ]
    ]
  })
  await insertRows(
    exec,
    'results',
    ['run_id', 'test_loss', 'test_accuracy', 'per_class', 'confusion', 'batch_norm', 'predicted', 'probabilities'],
    resultRows,
    { perStatement: RESULTS_PER_STATEMENT }
  )
  return ids
}

/** A {@link SqlExec} over one PostgreSQL client (`?` becomes `$1`, `$2`, …). */
export function postgresExec(client: pg.Client): SqlExec {
  return async (text, params) => {
    let n = 0
    const result = await client.query(
      text.replace(/\?/g, () => `$${++n}`),
      params
    )
    return result.rows as Array<Record<string, unknown>>
  }
}
