/** The `sweeps` table: runs queued together by a grid or random search, with every run's swept values. */
import type { SweepBest, SweepDetail, SweepRunPoint, SweepSummary } from '@shared/group'
import { parseHparams } from '@shared/hparams'
import type { PresetId } from '@shared/presets'
import type { RunStatus } from '@shared/run'
import { spreadOf } from '@shared/spread'
import { sweepSpecSchema, type SweepSpec } from '@shared/sweep'
import type { Database } from './connection'
import { DbError } from './db-error'
import type { Sync } from './sync-repo'
import { badRow } from './run-rows'

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
  has_result: number | null
  test_accuracy: number | null
}

const POINT_SELECT = `
  SELECT s.id AS sweep_id, s.name AS sweep_name, s.preset AS sweep_preset, s.spec AS sweep_spec,
         s.created_at AS sweep_created_at, r.id AS run_id, r.group_id, r.status, r.hparams, r.best_val_accuracy,
         res.run_id IS NOT NULL AS has_result, res.test_accuracy
  FROM sweeps s
  LEFT JOIN runs r ON r.sweep_id = s.id
  LEFT JOIN results res ON res.run_id = r.id`

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

export function createSweepsRepo(db: Database): Sync<SweepsRepo> {
  const insert = db.prepare('INSERT INTO sweeps (name, preset, spec, created_at) VALUES (@name, @preset, @spec, @createdAt)')
  const assign = db.prepare<[number, string]>('UPDATE runs SET sweep_id = ? WHERE id IN (SELECT value FROM json_each(?))')
  const one = db.prepare<[number], PointRow>(`${POINT_SELECT} WHERE s.id = ? ORDER BY r.id`)
  const all = db.prepare<[], PointRow>(`${POINT_SELECT} ORDER BY s.created_at DESC, s.id DESC, r.id`)
  const prune = db.prepare('DELETE FROM sweeps WHERE NOT EXISTS (SELECT 1 FROM runs WHERE runs.sweep_id = sweeps.id)')

  return {
    insert({ name, spec, createdAt }) {
      return Number(
        insert.run({ name, preset: spec.preset, spec: JSON.stringify(spec), createdAt: createdAt ?? new Date().toISOString() })
          .lastInsertRowid
      )
    },
    assign(sweepId, runIds) {
      const changed = assign.run(sweepId, JSON.stringify([...runIds])).changes
      if (changed !== runIds.length) {
        throw new DbError(`Cannot add runs ${runIds.join(', ')} to sweep ${sweepId}: only ${changed} of them exist.`, {
          kind: 'not-found'
        })
      }
    },
    get(id) {
      const sweep = toSweeps(one.all(id))[0]
      return sweep && sweep.runs.length > 0 ? sweep : null
    },
    list: () =>
      toSweeps(all.all())
        .filter((s) => s.runs.length > 0)
        .map(({ runs: _runs, ...summary }) => summary),
    pruneEmpty: () => prune.run().changes
  }
}

function toSweeps(rows: PointRow[]): SweepDetail[] {
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
      runId: row.run_id,
      groupId: row.group_id,
      status: row.status as RunStatus,
      learningRate: h.learningRate,
      batchSize: h.batchSize,
      epochs: h.epochs,
      validationSplit: h.validationSplit,
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
 * The configuration (learning rate, batch size, epochs, validation split) with the highest mean test
 * accuracy over its finished seeds; a tie goes to the configuration measured on more seeds.
 */
export function bestConfiguration(points: readonly SweepRunPoint[]): SweepBest | null {
  const configs = new Map<string, SweepRunPoint[]>()
  for (const p of points) {
    if (p.testAccuracy === null || !Number.isFinite(p.testAccuracy)) continue
    const key = JSON.stringify([p.learningRate, p.batchSize, p.epochs, p.validationSplit])
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
      learningRate: first!.learningRate,
      batchSize: first!.batchSize,
      epochs: first!.epochs,
      validationSplit: first!.validationSplit,
      testAccuracy: spread,
      groupId: members.length > 1 ? (first!.groupId ?? null) : null,
      runId: top.runId
    }
  }
  return best
}
