/** How a `runs` row (joined with its result's headline figures) maps to the shared run types. */
import { formatFieldErrors } from '@shared/error-text'
import { z } from 'zod'
import { parseHparams, RUN_PRESETS, type RunPreset } from '@shared/hparams'
import { RUN_STATUSES, type BackendInfo, type HpValue, type RunDetail, type RunStatus, type RunSummary } from '@shared/run'
import type { DatasetRef } from '@shared/dataset'
import type { Kysely } from 'kysely'
import { DbError } from './db-error'
import type { DB } from './tables'

/** Columns every run read selects: enough for a {@link RunSummary}, no blobs, no history. */
export function summarySelect(db: Kysely<DB>) {
  return db
    .selectFrom('runs as r')
    .leftJoin('results as res', 'res.run_id', 'r.id')
    .select((eb) => [
      'r.id',
      'r.name',
      'r.preset',
      'r.status',
      'r.created_at',
      'r.started_at',
      'r.finished_at',
      'r.epochs_done',
      'r.epochs_planned',
      'r.best_val_accuracy',
      'r.backend',
      'r.tags',
      'r.error_message',
      'r.group_id',
      'r.sweep_id',
      'r.hparams',
      'r.notes',
      'r.version',
      'r.owner_pid',
      eb
        .selectFrom('epochs as e')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('e.duration_ms'), e.lit(0)).as('ms'))
        .whereRef('e.run_id', '=', 'r.id')
        .as('training_ms'),
      'res.run_id as result_run_id',
      'res.test_loss',
      'res.test_accuracy'
    ])
}

/** {@link summarySelect} with the extra columns of a {@link RunDetail}. */
export function detailSelect(db: Kysely<DB>) {
  return summarySelect(db).select(['r.seed', 'r.dataset', 'r.dataset_checksum', 'r.backend_info', 'r.app_version'])
}

export interface SummaryRow {
  id: number
  name: string
  preset: string
  status: string
  created_at: string
  started_at: string | null
  finished_at: string | null
  epochs_done: number
  epochs_planned: number
  best_val_accuracy: number | null
  backend: string | null
  tags: string
  error_message: string | null
  group_id: number | null
  sweep_id: number | null
  hparams: string
  notes: string
  version: number
  owner_pid: number | null
  training_ms: number
  result_run_id: number | null
  test_loss: number | null
  test_accuracy: number | null
}

export interface DetailRow extends SummaryRow {
  /** bigint in PostgreSQL, which its driver hands over as a string. */
  seed: number | string
  dataset: string
  dataset_checksum: string | null
  backend_info: string | null
  app_version: string
}

const tagsSchema = z.array(z.string())
const backendInfoSchema = z.object({
  name: z.string(),
  threads: z.number(),
  versions: z.record(z.string(), z.string())
})

const PRESETS: ReadonlySet<string> = new Set(RUN_PRESETS)
const STATUSES: ReadonlySet<string> = new Set(RUN_STATUSES)

/** Maps a summary row; a value outside the shared enums is a damaged row, reported by run id. */
export function toRunSummary(row: SummaryRow): RunSummary {
  if (!PRESETS.has(row.preset)) throw badRow(row.id, `unknown preset "${row.preset}"`)
  if (!STATUSES.has(row.status)) throw badRow(row.id, `unknown status "${row.status}"`)
  const hasResult = row.result_run_id !== null
  const hparams = readJson(row.hparams)
  return {
    id: row.id,
    name: row.name,
    preset: row.preset as RunPreset,
    architectureName: row.preset === 'custom' ? architectureNameOf(hparams) : null,
    status: row.status as RunStatus,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    epochsDone: row.epochs_done,
    epochsPlanned: row.epochs_planned,
    bestValAccuracy: row.best_val_accuracy,
    // SQLite stores NaN as NULL: a result row with a NULL loss means the loss was NaN.
    testAccuracy: hasResult ? (row.test_accuracy ?? Number.NaN) : null,
    testLoss: hasResult ? (row.test_loss ?? Number.NaN) : null,
    backend: row.backend,
    tags: parseJson(row.id, 'tags', row.tags, tagsSchema),
    errorMessage: row.error_message,
    groupId: row.group_id,
    sweepId: row.sweep_id,
    hp: flatHparams(hparams),
    notes: row.notes,
    version: row.version,
    trainingMs: row.training_ms,
    // Only a running run has a live owner; this process's own runs are driven by its queue.
    ownedElsewhere: row.status === 'running' && row.owner_pid !== null && row.owner_pid !== process.pid
  }
}

/** The hyperparameters column as a value, or undefined when it is not JSON (the run's detail names the damage). */
function readJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A custom run's architecture name from its hyperparameters (null when unreadable: the detail names the damage). */
function architectureNameOf(hparams: unknown): string | null {
  const architecture = (hparams as { architecture?: { name?: unknown } } | undefined)?.architecture
  return typeof architecture?.name === 'string' ? architecture.name : null
}

/**
 * Hyperparameters by dotted path; a row whose JSON cannot be read shows blanks here. The architecture
 * is left out: the list names it (`preset`, `architectureName`), and its layers are no column.
 */
function flatHparams(hparams: unknown): Record<string, HpValue> {
  if (hparams === undefined) return {}
  const out: Record<string, HpValue> = {}
  const walk = (value: unknown, prefix: string): void => {
    if (prefix === 'architecture') return
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k)
    } else if (prefix && (value === null || ['number', 'string', 'boolean'].includes(typeof value))) {
      out[prefix] = value as HpValue
    }
  }
  walk(hparams, '')
  return out
}

/** The parts of a {@link RunDetail} that other tables provide. */
export type RunDetailExtras = Pick<RunDetail, 'history' | 'metrics' | 'resumePoints'> & {
  /** The dataset row's description (or the built-in's), null when the store knows no dataset of that name. */
  dataset: DatasetRef | null
}

/** Maps a detail row; hyperparameters are validated with the shared schema. */
export function toRunDetail(row: DetailRow, extras: RunDetailExtras): RunDetail {
  const parsed = parseHparams(parseJson(row.id, 'hparams', row.hparams, z.unknown()))
  if (!parsed.ok) {
    const fields = formatFieldErrors(parsed.errors)
    throw badRow(row.id, `its hyperparameters are invalid (${fields})`)
  }
  if (!extras.dataset) throw badRow(row.id, `its dataset ${row.dataset} is not in this store`)
  const backendInfo: BackendInfo | null =
    row.backend_info === null ? null : parseJson(row.id, 'backend_info', row.backend_info, backendInfoSchema)
  return {
    ...toRunSummary(row),
    hparams: parsed.value,
    notes: row.notes,
    seed: Number(row.seed),
    datasetChecksum: row.dataset_checksum,
    dataset: extras.dataset,
    backendInfo,
    appVersion: row.app_version,
    history: extras.history,
    metrics: extras.metrics,
    resumePoints: extras.resumePoints
  }
}

/** Parses a JSON column and checks its shape, naming the run and column when either fails. */
export function parseJson<T>(runId: number, column: string, text: string, schema: z.ZodType<T>): T {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw badRow(runId, `its ${column} column is not valid JSON`, error)
  }
  const result = schema.safeParse(value)
  if (!result.success) throw badRow(runId, `its ${column} column has an unexpected shape`, result.error)
  return result.data
}

/** An error for a stored run that cannot be read back. */
export function badRow(runId: number, problem: string, cause?: unknown): DbError {
  return new DbError(
    `Run ${runId} in the database cannot be read: ${problem}. The row was left as it is; ` +
      'other runs are unaffected. Delete this run, or restore the database from a backup.',
    { kind: 'bad-row', runId, cause }
  )
}
