/**
 * What differs between the two engines under one query layer: each query is written once with
 * Kysely, and the few places where SQLite and PostgreSQL spell something differently ask this.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import type { DB } from './tables'

export interface StoreDialect {
  readonly engine: 'sqlite' | 'postgres'
  /** Whether a thrown driver error is a primary-key (unique) violation. */
  isDuplicateKey(error: unknown): boolean
  /**
   * `column IN (ids)` (`column` may be qualified: `r.id`) with the ids as one parameter, so the statement text (and its prepared plan)
   * is the same whatever the number of ids, and no engine's parameter limit is reached.
   */
  inIds(column: string, ids: readonly number[]): RawBuilder<SqlBool>
  /** A numeric field of a JSON text column (`hparams`), or null when absent. */
  jsonNumber(column: string, key: string): RawBuilder<number | null>
  /** The column giving the order resume points were recorded in (rowid; an identity column in PostgreSQL). */
  readonly resumePointOrder: RawBuilder<number>
  /** A number that changes when another connection has committed since the last call. */
  dataVersion(db: Kysely<DB>): Promise<number>
}

/** SQLite (better-sqlite3): error codes, `json_each`, `json_extract`, rowid, `PRAGMA data_version`. */
export const sqliteDialect: StoreDialect = {
  engine: 'sqlite',
  isDuplicateKey: (error) => (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  inIds: (column, ids) => sql<SqlBool>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
  jsonNumber: (column, key) => sql<number | null>`json_extract(${sql.ref(column)}, ${`$.${key}`})`,
  resumePointOrder: sql<number>`rowid`,
  async dataVersion(db) {
    const { rows } = await sql<{ data_version: number }>`PRAGMA data_version`.execute(db)
    return rows[0]!.data_version
  }
}

/**
 * PostgreSQL (pg): SQLSTATE 23505, `= ANY(array)`, `->>` on the text column cast to jsonb, the
 * `resume_points.seq` identity column.
 */
export const postgresDialect: StoreDialect = {
  engine: 'postgres',
  isDuplicateKey: (error) => (error as { code?: unknown } | null)?.code === '23505',
  inIds: (column, ids) => sql<SqlBool>`${sql.ref(column)} = ANY(${[...ids]}::integer[])`,
  jsonNumber: (column, key) => sql<number | null>`(${sql.ref(column)}::jsonb ->> ${key})::double precision`,
  resumePointOrder: sql<number>`seq`,
  /**
   * PostgreSQL has no data_version. Every change of a run row changes the runs table's
   * (count, sum of versions, highest id): an insert raises the highest id (ids are never reused),
   * an update raises a version, and without inserts a delete lowers the count for good. So a
   * changed triple says some transaction committed a change to the runs; the number returned
   * counts the changes this store has seen. Unlike SQLite it also moves for this store's own
   * commits (a reader then finds nothing it did not know).
   */
  async dataVersion(db) {
    const { rows } = await sql<{ n: number; v: number; m: number }>`
      SELECT count(*) AS n, coalesce(sum(version), 0) AS v, coalesce(max(id), 0) AS m FROM runs`.execute(db)
    const { n, v, m } = rows[0]!
    return changeCounter(db, `${n}:${v}:${m}`)
  }
}

/** Per database: the last state seen and how many different states were seen. */
const seen = new WeakMap<object, { state: string; count: number }>()

function changeCounter(db: object, state: string): number {
  const last = seen.get(db)
  if (!last) {
    seen.set(db, { state, count: 0 })
    return 0
  }
  if (last.state !== state) {
    last.state = state
    last.count++
  }
  return last.count
}
