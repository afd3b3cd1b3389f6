/** The better-sqlite3 connection behind a SQLite run store, for tests that need raw SQL. */
import type { Database } from './connection'
import type { RunStore } from './run-store'

const handles = new WeakMap<RunStore, Database>()

/** Called by the SQLite store when it opens. */
export function registerSqliteHandle(store: RunStore, db: Database): void {
  handles.set(store, db)
}

/** The store's better-sqlite3 `Database`; throws for a store on another engine. Tests only. */
export function sqliteHandleForTests(store: RunStore): Database {
  const db = handles.get(store)
  if (!db) throw new Error(`This run store is on ${store.engine}, not SQLite: it has no SQLite handle.`)
  return db
}
