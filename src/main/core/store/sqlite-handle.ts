/** The raw better-sqlite3 connection under a SQLite run store, for tests that must reach past the repositories. */
import type { Database } from './connection'

const handles = new WeakMap<object, Database>()

/** Called by openRunStore for a SQLite store. */
export function registerSqliteHandle(store: object, db: Database): void {
  handles.set(store, db)
}

/**
 * The better-sqlite3 Database of a SQLite run store, for raw SQL in tests (damaged rows, pragmas,
 * counts). Throws for a PostgreSQL store, which has no such handle. The store is typed by shape
 * because index.ts imports this file.
 */
export function sqliteHandleForTests(store: { readonly location: string }): Database {
  const db = handles.get(store)
  if (!db) throw new Error(`The run store at ${store.location} is not a SQLite store; it has no SQLite handle.`)
  return db
}
