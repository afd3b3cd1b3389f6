/** The `sweeps` table: runs queued together by a grid or random search, with every run's swept values. */
import type { SweepBest, SweepDetail, SweepRunPoint, SweepSummary } from '@shared/group'
import { parseHparams } from '@shared/hparams'
import type { PresetId } from '@shared/presets'
import type { RunStatus } from '@shared/run'
import { spreadOf } from '@shared/spread'
import { sweepSpecSchema, type SweepSpec } from '@shared/sweep'
import { pickSweepConfig, sweepConfigKey, sweepConfigOf } from '@shared/sweep-config'
import type { Kysely } from 'kysely'
import { DbError } from './db-error'
import { badRow } from './run-rows'
import type { StoreDialect } from './store-dialect'
import type { DB } from './tables'

/** What a new sweep is created from. */
export interface InsertSweepInput {
  name: string
  spec: SweepSpec
  /** ISO time of creation; now when omitted. */
  createdAt?: string
}

interface PointRow {
  sweep_id: number
  sweep_name: string
  sweep_preset: string
  sweep_spec: string
  sweep_created_at: string
  run_id: number | null
  group_id: number | null
  status: string | null
  hparams: string | null
  best_val_accuracy: number | null
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  has_result: number | boolean | null
  test_accuracy: number | null
}

/** Every sweep with its runs (left join: a sweep without runs has one row of nulls) and their headline result. */
function pointSelect(db: Kysely<DB>) {
  return db
    .selectFrom('sweeps as s')
    .leftJoin('runs as r', 'r.sweep_id', 's.id')
    .leftJoin('results as res', 'res.run_id', 'r.id')
    .select((eb) => [
      's.id as sweep_id',
      's.name as sweep_name',
      's.preset as sweep_preset',
      's.spec as sweep_spec',
      's.created_at as sweep_created_at',
      'r.id as run_id',
      'r.group_id',
      'r.status',
      'r.hparams',
      'r.best_val_accuracy',
      eb('res.run_id', 'is not', null).as('has_result'),
      'res.test_accuracy'
    ])
}

export interface SweepsRepo {
  /** Creates a sweep without runs; returns its id. */
  insert(input: InsertSweepInput): Promise<number>
  /** Marks runs as queued by a sweep. */
  assign(sweepId: number, runIds: readonly number[]): Promise<void>
  /** A sweep with every run's swept values and result, or null. */
  get(id: number): Promise<SweepDetail | null>
  /** Every sweep that still has runs, newest first, without the per-run points. */
  list(): Promise<SweepSummary[]>
  /** Deletes sweeps left without runs; returns how many. */
  pruneEmpty(): Promise<number>
}

export function createSweepsRepo(db: Kysely<DB>, dialect: StoreDialect): SweepsRepo {
  return {
    async insert({ name, spec, createdAt }) {
      const row = await db
        .insertInto('sweeps')
        .values({ name, preset: spec.preset, spec: JSON.stringify(spec), created_at: createdAt ?? new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },
    async assign(sweepId, runIds) {
      const result = await db.updateTable('runs').set({ sweep_id: sweepId }).where(dialect.inIds('id', runIds)).executeTakeFirst()
      const changed = Number(result.numUpdatedRows)
      if (changed !== runIds.length) {
        throw new DbError(`Cannot add runs ${runIds.join(', ')} to sweep ${sweepId}: only ${changed} of them exist.`, {
          kind: 'not-found'
        })
      }
    },
    async get(id) {
      const sweep = toSweeps(await pointSelect(db).where('s.id', '=', id).orderBy('r.id').execute())[0]
      return sweep && sweep.runs.length > 0 ? sweep : null
    },
    async list() {
      const rows = await pointSelect(db).orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').orderBy('r.id').execute()
      return toSweeps(rows)
        .filter((s) => s.runs.length > 0)
        .map(({ runs: _runs, ...summary }) => summary)
    },
    async pruneEmpty() {
      const result = await db
        .deleteFrom('sweeps')
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('runs').select('runs.id').whereRef('runs.sweep_id', '=', 'sweeps.id')))
        )
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    }
  }
}

function toSweeps(rows: readonly PointRow[]): SweepDetail[] {
  const sweeps: SweepDetail[] = []
  let current = null as SweepDetail | null
  for (const row of rows) {
    if (current?.id !== row.sweep_id) {
      const spec = sweepSpecSchema.safeParse(safeJson(row.sweep_spec))
      if (!spec.success) {
        throw new DbError(
          `Sweep ${row.sweep_id} in the database cannot be read: its spec has an unexpected shape. Its runs are unaffected and still listed one by one.`,
          { kind: 'bad-row' }
        )
      }
      current = {
        id: row.sweep_id,
        name: row.sweep_name,
        preset: row.sweep_preset as PresetId,
        createdAt: row.sweep_created_at,
        spec: spec.data,
        runCount: 0,
        completedCount: 0,
        best: null,
        runs: []
      }
      sweeps.push(current)
    }
    if (row.run_id === null) continue
    const parsed = parseHparams(safeJson(row.hparams ?? ''))
    if (!parsed.ok) throw badRow(row.run_id, 'its hyperparameters are invalid')
    const h = parsed.value
    current.runs.push({
      ...sweepConfigOf(h),
      runId: row.run_id,
      groupId: row.group_id,
      status: row.status as RunStatus,
      seed: h.seed,
      testAccuracy: row.has_result ? (row.test_accuracy ?? Number.NaN) : null,
      bestValAccuracy: row.best_val_accuracy
    })
  }
  for (const s of sweeps) {
    s.runCount = s.runs.length
    s.completedCount = s.runs.filter((r) => r.status === 'completed').length
    s.best = bestConfiguration(s.runs)
  }
  return sweeps
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * The configuration (every swept value: learning rate, batch size, epochs, validation split,
 * optimizer, schedule, augmentation, model) with the highest mean test accuracy over its finished
 * seeds; a tie goes to the configuration measured on more seeds.
 */
export function bestConfiguration(points: readonly SweepRunPoint[]): SweepBest | null {
  const configs = new Map<string, SweepRunPoint[]>()
  for (const p of points) {
    if (p.testAccuracy === null || !Number.isFinite(p.testAccuracy)) continue
    const key = sweepConfigKey(p)
    configs.set(key, [...(configs.get(key) ?? []), p])
  }
  let best: SweepBest | null = null
  for (const members of configs.values()) {
    const spread = spreadOf(members.map((m) => m.testAccuracy))!
    if (best && (spread.mean < best.testAccuracy.mean || (spread.mean === best.testAccuracy.mean && spread.n <= best.testAccuracy.n)))
      continue
    const top = members.reduce((a, b) => ((b.testAccuracy ?? 0) > (a.testAccuracy ?? 0) ? b : a))
    const [first] = members
    best = {
      ...pickSweepConfig(first!),
      testAccuracy: spread,
      groupId: members.length > 1 ? (first!.groupId ?? null) : null,
      runId: top.runId
    }
  }
  return best
}
