/** The `groups` table: runs that share every hyperparameter but the seed, with their spread. */
import type { GroupSummary } from '@shared/group'
import { parseHparams } from '@shared/hparams'
import type { RunPreset } from '@shared/hparams'
import type { RunStatus } from '@shared/run'
import { spreadOf } from '@shared/spread'
import type { Kysely } from 'kysely'
import { DbError } from './db-error'
import { badRow } from './run-rows'
import type { StoreDialect } from './store-dialect'
import type { DB } from './tables'

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
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  has_result: number | boolean | null
  test_accuracy: number | null
}

/** Every group with its members (left join: a group without runs has one row of nulls) and their headline result. */
function memberSelect(db: Kysely<DB>) {
  return db
    .selectFrom('groups as g')
    .leftJoin('runs as r', 'r.group_id', 'g.id')
    .leftJoin('results as res', 'res.run_id', 'r.id')
    .select((eb) => [
      'g.id as group_id',
      'g.name as group_name',
      'g.preset as group_preset',
      'g.sweep_id as group_sweep_id',
      'g.created_at as group_created_at',
      'r.id as run_id',
      'r.seed',
      'r.status',
      'r.hparams',
      'r.best_val_accuracy',
      eb('res.run_id', 'is not', null).as('has_result'),
      'res.test_accuracy'
    ])
}

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

export function createGroupsRepo(db: Kysely<DB>, dialect: StoreDialect): GroupsRepo {
  async function getMany(ids: readonly number[]): Promise<GroupSummary[]> {
    const unique = [...new Set(ids)]
    const rows = await memberSelect(db).where(dialect.inIds('g.id', unique)).orderBy('g.id').orderBy('r.seed').orderBy('r.id').execute()
    // A group whose runs were all deleted no longer exists for readers, whether or not it was pruned yet.
    const found = toGroups(rows).filter((g) => g.memberIds.length > 0)
    const byId = new Map(found.map((g) => [g.id, g]))
    return unique.flatMap((id) => byId.get(id) ?? [])
  }

  return {
    async insert({ name, preset, sweepId = null, createdAt }) {
      const row = await db
        .insertInto('groups')
        .values({ name, preset, sweep_id: sweepId, created_at: createdAt ?? new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },
    async assign(groupId, runIds) {
      const result = await db.updateTable('runs').set({ group_id: groupId }).where(dialect.inIds('id', runIds)).executeTakeFirst()
      const changed = Number(result.numUpdatedRows)
      if (changed !== runIds.length) {
        throw new DbError(`Cannot put runs ${runIds.join(', ')} into group ${groupId}: only ${changed} of them exist.`, {
          kind: 'not-found'
        })
      }
    },
    get: async (id) => (await getMany([id]))[0] ?? null,
    getMany,
    async list() {
      const rows = await memberSelect(db)
        .orderBy('g.created_at', 'desc')
        .orderBy('g.id', 'desc')
        .orderBy('r.seed')
        .orderBy('r.id')
        .execute()
      return toGroups(rows).filter((g) => g.memberIds.length > 0)
    },
    async pruneEmpty() {
      const result = await db
        .deleteFrom('groups')
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('runs').select('runs.id').whereRef('runs.group_id', '=', 'groups.id')))
        )
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    }
  }
}

/** Folds member rows (ordered by group) into group summaries. */
function toGroups(rows: readonly MemberRow[]): GroupSummary[] {
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
    current.seeds.push(row.seed === null ? 0 : Number(row.seed))
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
