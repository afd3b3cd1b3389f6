/** Kysely over the better-sqlite3 connection that connection.ts opened (pragmas and migrations done). */
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely'
import type { Database } from './connection'
import type { DB } from './tables'

/** More distinct statements than the store ever writes; past it the cache starts over rather than grow. */
const MAX_CACHED_STATEMENTS = 500

/**
 * The connection as Kysely's SQLite driver sees it, with each statement prepared once per SQL text:
 * Kysely compiles the same text for every epoch insert and every run list, and preparing is the
 * part of a small query that costs most. A statement is only ever used by one query at a time
 * (the driver holds a mutex on its single connection), so sharing it is safe.
 */
export function cachingDatabase(db: Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>()
  return {
    prepare(text) {
      let statement = statements.get(text)
      if (!statement) {
        if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear()
        statement = db.prepare(text)
        statements.set(text, statement)
      }
      return statement
    },
    close() {
      statements.clear()
      if (db.open) db.close()
    }
  }
}

/** A Kysely instance over an open database; destroying it closes the database. */
export function sqliteKysely(db: Database): Kysely<DB> {
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingDatabase(db) }) })
}
