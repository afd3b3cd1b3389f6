/** The `groups` table: runs that share every hyperparameter but the seed, with their spread. */
import type { GroupSummary } from '@shared/group'
import { parseHparams } from '@shared/hparams'
import type { RunPreset } from '@shared/hparams'
import type { RunStatus } from '@shared/run'
import { spreadOf } from '@shared/spread'
import type { Database } from './connection'
import { DbError } from './db-error'
import type { Sync } from './sync-repo'
import { badRow } from './run-rows'

/** What a new group is created from. */
export interface InsertGroupInput {
  name: string
  preset: RunPreset
  /** The sweep the group belongs to, if any. */
  sweepId?: number | null
  /** ISO time of creation; now when omitted. */
  createdAt?: string
}

interface MemberRow {
  group_id: number
  group_name: string
  group_preset: string
  group_sweep_id: number | null
  group_created_at: string
  run_id: number | null
  seed: number | null
  status: string | null
  hparams: string | null
  best_val_accuracy: number | null
  has_result: number | null
  test_accuracy: number | null
}

const MEMBER_SELECT = `
  SELECT g.id AS group_id, g.name AS group_name, g.preset AS group_preset, g.sweep_id AS group_sweep_id,
         g.created_at AS group_created_at, r.id AS run_id, r.seed, r.status, r.hparams, r.best_val_accuracy,
         res.run_id IS NOT NULL AS has_result, res.test_accuracy
  FROM groups g
  LEFT JOIN runs r ON r.group_id = g.id
  LEFT JOIN results res ON res.run_id = r.id`

export interface GroupsRepo {
  /** Creates an empty group; returns its id. */
  insert(input: InsertGroupInput): Promise<number>
  /** Puts runs into a group (they leave any group they were in). */
  assign(groupId: number, runIds: readonly number[]): Promise<void>
  /** A group with its members' seeds, statuses and spread, or null (also when it has no members left). */
  get(id: number): Promise<GroupSummary | null>
  /** Several groups in the order asked for; unknown ids are skipped. */
  getMany(ids: readonly number[]): Promise<GroupSummary[]>
  /** Every group that has members, newest first. */
  list(): Promise<GroupSummary[]>
  /** Deletes groups left without members (after their runs were deleted); returns how many. */
  pruneEmpty(): Promise<number>
}

export function createGroupsRepo(db: Database): Sync<GroupsRepo> {
  const insert = db.prepare('INSERT INTO groups (name, preset, sweep_id, created_at) VALUES (@name, @preset, @sweepId, @createdAt)')
  const assign = db.prepare<[number, string]>('UPDATE runs SET group_id = ? WHERE id IN (SELECT value FROM json_each(?))')
  const many = db.prepare<[string], MemberRow>(
    `${MEMBER_SELECT} WHERE g.id IN (SELECT value FROM json_each(?)) ORDER BY g.id, r.seed, r.id`
  )
  const all = db.prepare<[], MemberRow>(`${MEMBER_SELECT} ORDER BY g.created_at DESC, g.id DESC, r.seed, r.id`)
  const prune = db.prepare('DELETE FROM groups WHERE NOT EXISTS (SELECT 1 FROM runs WHERE runs.group_id = groups.id)')

  function getMany(ids: readonly number[]): GroupSummary[] {
    // A group whose runs were all deleted no longer exists for readers, whether or not it was pruned yet.
    const found = toGroups(many.all(JSON.stringify([...new Set(ids)]))).filter((g) => g.memberIds.length > 0)
    const byId = new Map(found.map((g) => [g.id, g]))
    return [...new Set(ids)].flatMap((id) => byId.get(id) ?? [])
  }

  return {
    insert({ name, preset, sweepId = null, createdAt }) {
      return Number(insert.run({ name, preset, sweepId, createdAt: createdAt ?? new Date().toISOString() }).lastInsertRowid)
    },
    assign(groupId, runIds) {
      const changed = assign.run(groupId, JSON.stringify([...runIds])).changes
      if (changed !== runIds.length) {
        throw new DbError(`Cannot put runs ${runIds.join(', ')} into group ${groupId}: only ${changed} of them exist.`, {
          kind: 'not-found'
        })
      }
    },
    get: (id) => getMany([id])[0] ?? null,
    getMany,
    list: () => toGroups(all.all()).filter((g) => g.memberIds.length > 0),
    pruneEmpty: () => prune.run().changes
  }
}

/** Folds member rows (ordered by group) into group summaries. */
function toGroups(rows: MemberRow[]): GroupSummary[] {
  const groups: GroupSummary[] = []
  const tests = new Map<number, Array<number | null>>()
  const vals = new Map<number, Array<number | null>>()
  let current = null as GroupSummary | null
  for (const row of rows) {
    if (current?.id !== row.group_id) {
      current = {
        id: row.group_id,
        name: row.group_name,
        preset: row.group_preset as RunPreset,
        createdAt: row.group_created_at,
        sweepId: row.group_sweep_id,
        memberIds: [],
        seeds: [],
        statuses: [],
        hparams: null as unknown as GroupSummary['hparams'],
        testAccuracy: null,
        bestValAccuracy: null
      }
      groups.push(current)
      tests.set(current.id, [])
      vals.set(current.id, [])
    }
    if (row.run_id === null) continue
    if (current.memberIds.length === 0) {
      const parsed = parseHparams(JSON.parse(row.hparams ?? 'null') as unknown)
      if (!parsed.ok) throw badRow(row.run_id, 'its hyperparameters are invalid')
      current.hparams = parsed.value
    }
    current.memberIds.push(row.run_id)
    current.seeds.push(row.seed ?? 0)
    current.statuses.push(row.status as RunStatus)
    // SQLite stores NaN as NULL: a result whose accuracy reads NULL is NaN, which the spread skips.
    tests.get(current.id)!.push(row.has_result ? (row.test_accuracy ?? Number.NaN) : null)
    vals.get(current.id)!.push(row.best_val_accuracy)
  }
  for (const g of groups) {
    g.testAccuracy = spreadOf(tests.get(g.id)!)
    g.bestValAccuracy = spreadOf(vals.get(g.id)!)
  }
  return groups
}
