/**
 * What differs between the two engines under one query layer: each query is written once with
 * Kysely, and the few places where SQLite and PostgreSQL spell something differently ask this.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely'

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
  /**
   * Now, in milliseconds since 1970, by the database's clock: leases compare times taken on one
   * clock, so machines whose own clocks disagree still agree on whose lease has expired.
   */
  readonly nowMs: RawBuilder<number>
}

/** SQLite (better-sqlite3): error codes, `json_each`, `json_extract`, rowid. */
export const sqliteDialect: StoreDialect = {
  engine: 'sqlite',
  isDuplicateKey: (error) => (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  inIds: (column, ids) => sql<SqlBool>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
  jsonNumber: (column, key) => sql<number | null>`json_extract(${sql.ref(column)}, ${`$.${key}`})`,
  resumePointOrder: sql<number>`rowid`,
  nowMs: sql<number>`CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)`
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
  // clock_timestamp(), not now(): now() is the transaction's start, which a long transaction leaves behind.
  nowMs: sql<number>`(extract(epoch FROM clock_timestamp()) * 1000)::double precision`
}
