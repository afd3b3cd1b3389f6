/** The run store: the one entry point the rest of the app uses for the run database. */
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely'
import { openDatabase } from './connection'
import { createEpochsRepo, type EpochsRepo } from './epochs-repo'
import { createResultsRepo, type ResultsRepo } from './results-repo'
import { createModelFilesRepo, type ModelFilesRepo } from './model-files-repo'
import { createResumePointsRepo, type ResumePointsRepo } from './resume-points-repo'
import { createRunsRepo, type RunsRepo } from './runs-repo'
import { createGroupsRepo, type GroupsRepo } from './groups-repo'
import { createSweepsRepo, type SweepsRepo } from './sweeps-repo'
import { createDatasetsRepo, type DatasetsRepo } from './datasets-repo'
import { createLeasesRepo, type LeasesRepo } from './leases-repo'
import { createTransferRepo, type TransferRepo } from './transfer-repo'
import { createArchitecturesRepo, type ArchitecturesRepo } from './architectures-repo'
import { listenForChanges, type ChangeFeed } from './postgres-changes'
import { connectError, openPostgresPool, readOnlyError } from './postgres-connection'
import { registerSqliteHandle } from './sqlite-handle'
import { sqliteKysely } from './sqlite-kysely'
import { postgresDialect, sqliteDialect, type StoreDialect } from './store-dialect'
import { gatedRepos, StoreGate } from './store-gate'
import { parseStoreLocation, type PostgresLocation } from './store-location'
import type { DB } from './tables'

export { DbError, isLostConnection, type DbErrorKind } from './db-error'
export type { EpochsRepo } from './epochs-repo'
export type { ResultsRepo } from './results-repo'
export type { ModelFileKind, ModelFileRecord, ModelFilesRepo } from './model-files-repo'
export type { ReopenInput, ResumePointsRepo } from './resume-points-repo'
export type { GroupsRepo, InsertGroupInput } from './groups-repo'
export type { InsertSweepInput, SweepsRepo } from './sweeps-repo'
export type { LeaseRenewal, LeasesRepo, RunLease } from './leases-repo'
export type { CopiedKind, RunLinks, RunRows, TransferRepo } from './transfer-repo'
export type { ArchitectureLatest, ArchitectureRow, ArchitecturesRepo } from './architectures-repo'
export { toRef, type DatasetRecord, type DatasetsRepo } from './datasets-repo'
export type { FinalStatus, FinishInput, InsertRunInput, MarkRunningInput, RunEdit, RunsRepo } from './runs-repo'

/** One repository per table; every method returns a Promise. */
export interface StoreRepos {
  runs: RunsRepo
  epochs: EpochsRepo
  results: ResultsRepo
  /** Checkpoint and final-model file records. */
  modelFiles: ModelFilesRepo
  /** Resume points, and the transition that reopens a run to continue training. */
  resumePoints: ResumePointsRepo
  /** Seed-repeat groups. */
  groups: GroupsRepo
  /** Hyperparameter sweeps. */
  sweeps: SweepsRepo
  /** Datasets: built-ins once read, and imported folders. */
  datasets: DatasetsRepo
  /** Which worker trains a run of a team store, until when (schema v9). */
  leases: LeasesRepo
  /** Rows as the tables hold them, for copying runs between stores (db copy). */
  transfer: TransferRepo
  /** Architectures saved by name, each edit a new version (schema v11). */
  architectures: ArchitecturesRepo
}

/** An open run database with one repository per table. */
export interface RunStore extends StoreRepos {
  readonly engine: 'sqlite' | 'postgres'
  /** The resolved SQLite file path or ':memory:', or the URL with its password masked. */
  readonly location: string
  /**
   * Runs fn with repositories bound to one transaction; commits when fn resolves, rolls back when it
   * throws. Other store calls wait until it ends, so fn must use `tx`, never the store's own repositories.
   */
  transaction<T>(fn: (tx: StoreRepos) => Promise<T>): Promise<T>
  /**
   * A number that changes when another connection or process has committed since the last call.
   * SQLite: `PRAGMA data_version`, which this connection's own commits leave alone. PostgreSQL: the
   * count of changes announced on LISTEN/NOTIFY (postgres-changes.ts), this store's own commits
   * included, so a watcher queries only when something moved.
   */
  dataVersion(): Promise<number>
  /**
   * PostgreSQL: calls `fn` with the id of each run another connection (or this one) changed, as the
   * change feed hears of it; returns a function that stops calling it. Absent on SQLite, where no
   * other machine writes.
   */
  onRunChange?(fn: (runId: number) => void): () => void
  /** Closes the connection; WAL content is checkpointed into the main file. Safe to call twice. */
  close(): Promise<void>
}

/** The repositories over a database or one of its transactions. */
function reposOver(db: Kysely<DB>, dialect: StoreDialect): StoreRepos {
  return {
    runs: createRunsRepo(db, dialect),
    epochs: createEpochsRepo(db, dialect),
    results: createResultsRepo(db, dialect),
    modelFiles: createModelFilesRepo(db),
    resumePoints: createResumePointsRepo(db, dialect),
    groups: createGroupsRepo(db, dialect),
    sweeps: createSweepsRepo(db, dialect),
    datasets: createDatasetsRepo(db, dialect),
    leases: createLeasesRepo(db, dialect),
    transfer: createTransferRepo(db),
    architectures: createArchitecturesRepo(db, dialect)
  }
}

/**
 * Opens (creating and migrating if needed) the run store at `location`: a SQLite file path,
 * `':memory:'`, or a `postgres://` / `postgresql://` URL. Rejects with a {@link DbError} with a
 * message for a person when it cannot be used.
 */
export async function openRunStore(location: string): Promise<RunStore> {
  const parsed = parseStoreLocation(location)
  return parsed.engine === 'postgres' ? openPostgresStore(parsed) : openSqliteStore(parsed.path)
}

function openSqliteStore(path: string): RunStore {
  const handle = openDatabase(path)
  const db = sqliteKysely(handle)
  const dialect = sqliteDialect
  let closing: Promise<void> | null = null
  const store: RunStore = {
    engine: dialect.engine,
    location: handle.name,
    ...reposOver(db, dialect),
    // The driver's one connection is held by the transaction: other calls wait for it.
    transaction: (fn) => db.transaction().execute((trx) => fn(reposOver(trx, dialect))),
    async dataVersion() {
      const { rows } = await sql<{ data_version: number }>`PRAGMA data_version`.execute(db)
      return rows[0]!.data_version
    },
    close() {
      closing ??= db.destroy()
      return closing
    }
  }
  registerSqliteHandle(store, handle)
  return store
}

async function openPostgresStore(location: PostgresLocation): Promise<RunStore> {
  const pool = await openPostgresPool(location)
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({
      pool,
      // The store's queries are short; JIT compiling them cost 850 ms on a 200-run list whose table
      // statistics were stale (just after many updates, before autovacuum), where the query takes 3 ms.
      onCreateConnection: (connection) => connection.executeQuery(CompiledQuery.raw('SET jit = off')).then(() => undefined)
    })
  })
  let changes: ChangeFeed
  try {
    changes = await listenForChanges(location)
  } catch (error) {
    await db.destroy()
    throw connectError(location, error)
  }
  const dialect = postgresDialect
  const gate = new StoreGate()
  let closing: Promise<void> | null = null
  return {
    engine: dialect.engine,
    location: location.display,
    ...gatedRepos(reposOver(db, dialect), gate, (error) => readOnlyError(location, error)),
    transaction: (fn) =>
      gate
        .exclusive(() => db.transaction().execute((trx) => fn(reposOver(trx, dialect))))
        .catch((error: unknown) => {
          throw readOnlyError(location, error)
        }),
    async dataVersion() {
      await changes.sync()
      return changes.version()
    },
    onRunChange: (fn) => changes.onRun(fn),
    close() {
      // Destroying the Kysely instance ends the pool.
      closing ??= gate.exclusive(() => Promise.all([changes.close(), db.destroy()]).then(() => undefined))
      return closing
    }
  }
}
