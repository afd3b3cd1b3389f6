/** The run store: the one entry point the rest of the app uses for the run database. */
import type { Kysely } from 'kysely'
import { openDatabase } from './connection'
import { createEpochsRepo, type EpochsRepo } from './epochs-repo'
import { createResultsRepo, type ResultsRepo } from './results-repo'
import { createModelFilesRepo, type ModelFilesRepo } from './model-files-repo'
import { createResumePointsRepo, type ResumePointsRepo } from './resume-points-repo'
import { createRunsRepo, type RunsRepo } from './runs-repo'
import { createGroupsRepo, type GroupsRepo } from './groups-repo'
import { createSweepsRepo, type SweepsRepo } from './sweeps-repo'
import { createDatasetsRepo, type DatasetsRepo } from './datasets-repo'
import { registerSqliteHandle } from './sqlite-handle'
import { sqliteKysely } from './sqlite-kysely'
import { sqliteDialect, type StoreDialect } from './store-dialect'
import type { DB } from './tables'

export { DbError, type DbErrorKind } from './db-error'
export type { EpochsRepo } from './epochs-repo'
export type { ResultsRepo } from './results-repo'
export type { ModelFileKind, ModelFileRecord, ModelFilesRepo } from './model-files-repo'
export type { ReopenInput, ResumePointsRepo } from './resume-points-repo'
export type { GroupsRepo, InsertGroupInput } from './groups-repo'
export type { InsertSweepInput, SweepsRepo } from './sweeps-repo'
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
   * A number that changes when another connection or process has committed since the last call
   * (SQLite: `PRAGMA data_version`, which this connection's own commits leave alone).
   */
  dataVersion(): Promise<number>
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
    datasets: createDatasetsRepo(db, dialect)
  }
}

/**
 * Opens (creating and migrating if needed) the run database at `location`: a file path, or `':memory:'`.
 * Rejects with a {@link DbError} with a message for a person when it cannot be used.
 */
export async function openRunStore(location: string): Promise<RunStore> {
  const handle = openDatabase(location)
  const db = sqliteKysely(handle)
  const dialect = sqliteDialect
  let closing: Promise<void> | null = null
  const store: RunStore = {
    engine: dialect.engine,
    location: handle.name,
    ...reposOver(db, dialect),
    transaction: (fn) => db.transaction().execute((trx) => fn(reposOver(trx, dialect))),
    dataVersion: () => dialect.dataVersion(db),
    close() {
      closing ??= db.destroy()
      return closing
    }
  }
  registerSqliteHandle(store, handle)
  return store
}
