/** Opens the run database: folders, pragmas, schema migrations, and readable errors. */
import { dirname, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { DbError, reasonOf } from './db-error'
import { ensureFolder } from '@main/core/ensure-folder'
import { MIGRATIONS } from './migrations'

export type Database = BetterSqlite3.Database

/** How long a statement waits for another connection's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000

const IN_MEMORY = ':memory:'

/**
 * Opens (creating if needed) the database at `path`, in WAL mode with foreign keys on,
 * and brings its schema up to date. `':memory:'` opens a private in-memory database.
 * Every failure is a {@link DbError} whose message names the path and what to do.
 */
export function openDatabase(path: string): Database {
  const inMemory = path === IN_MEMORY
  const where = inMemory ? IN_MEMORY : resolve(path)
  if (!inMemory) {
    try {
      ensureFolder(dirname(where))
    } catch (error) {
      throw openError(where, error)
    }
  }
  let db: Database
  try {
    db = new BetterSqlite3(where)
  } catch (error) {
    throw openError(where, error)
  }
  try {
    // busy_timeout first, so the switch to WAL waits for another process instead of failing.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    // The first statement that reads the file: a non-database file fails here with SQLITE_NOTADB.
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    // FULL: a committed epoch survives a power cut too, not only an app crash; epochs are
    // seconds apart, so the extra fsync costs nothing noticeable.
    db.pragma('synchronous = FULL')
    applyMigrations(db, { path: where, migrations: MIGRATIONS })
  } catch (error) {
    db.close()
    throw error instanceof DbError ? error : openError(where, error)
  }
  return db
}

/** Options of {@link applyMigrations}. */
export interface ApplyMigrationsOptions {
  /** Database path, for error messages. */
  path: string
  /** Ordered schema steps; `user_version` counts how many have been applied. */
  migrations: readonly string[]
}

/**
 * Applies every step the database has not seen yet, each in its own transaction that also
 * bumps `user_version`, so a failed step leaves the previous version intact.
 * @returns the schema version after migrating.
 */
export function applyMigrations(db: Database, options: ApplyMigrationsOptions): number {
  const { path, migrations } = options
  const target = migrations.length
  const before = userVersion(db)
  if (before > target) throw tooNewError(path, before, target)
  if (before === target) return target
  for (;;) {
    // The version is read again inside the write transaction: another process opening the
    // same file at the same moment may have migrated already.
    let version = 0
    const step = db.transaction((): boolean => {
      version = userVersion(db)
      if (version > target) throw tooNewError(path, version, target)
      if (version === target) return false
      db.exec(migrations[version]!)
      db.pragma(`user_version = ${version + 1}`)
      return true
    })
    try {
      if (!step.immediate()) return target
    } catch (error) {
      if (error instanceof DbError) throw error
      throw new DbError(
        `Upgrading the run database at ${path} to schema version ${version + 1} failed (${reasonOf(error)}). ` +
          `The database was left at version ${version} with every run intact. ` +
          'Keep a copy of the file and report this problem; an update of Atelier will be needed to open it.',
        { kind: 'migration', path, cause: error }
      )
    }
  }
}

function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

function tooNewError(path: string, found: number, known: number): DbError {
  return new DbError(
    `The run database at ${path} has schema version ${found}, but this Atelier only knows versions up to ${known}: ` +
      'it was written by a newer Atelier. The file was left untouched. ' +
      'Update Atelier, or choose another data folder to start a separate history.',
    { kind: 'too-new', path }
  )
}

/** Turns a file-system or SQLite failure while opening into a message for a person. */
function openError(path: string, error: unknown): DbError {
  const code = (error as { code?: unknown } | null)?.code
  const reason = reasonOf(error)
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new DbError(
      `The file at ${path} is not a readable Atelier run database (${reason}). It was left untouched. ` +
        'Rename or move it (for example to atelier.db.broken) and start Atelier again to begin a fresh history, ' +
        'or put back a backup copy.',
      { kind: 'corrupt', path, cause: error }
    )
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
    return new DbError(
      `The run database at ${path} is locked by another program (${reason}). Nothing was written. ` +
        'Close other Atelier windows or command-line runs that use the same data folder, then try again.',
      { kind: 'unwritable', path, cause: error }
    )
  }
  return new DbError(
    `Atelier cannot open its run database at ${path} (${reason}). Nothing was written. ` +
      'Make sure the folder exists and is writable, or choose another data folder, then try again.',
    { kind: 'unwritable', path, cause: error }
  )
}
