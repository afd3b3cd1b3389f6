/** The run store: the one entry point the rest of the app uses for the run database. */
import { openDatabase, type Database } from './connection'
import { createEpochsRepo, type EpochsRepo } from './epochs-repo'
import { createResultsRepo, type ResultsRepo } from './results-repo'
import { createModelFilesRepo, type ModelFilesRepo } from './model-files-repo'
import { createResumePointsRepo, type ResumePointsRepo } from './resume-points-repo'
import { createRunsRepo, type RunsRepo } from './runs-repo'
import { createGroupsRepo, type GroupsRepo } from './groups-repo'
import { createSweepsRepo, type SweepsRepo } from './sweeps-repo'
import { createDatasetsRepo, type DatasetsRepo } from './datasets-repo'

export { DbError, type DbErrorKind } from './db-error'
export type { Database } from './connection'
export type { EpochsRepo } from './epochs-repo'
export type { ResultsRepo } from './results-repo'
export type { ModelFileKind, ModelFileRecord, ModelFilesRepo } from './model-files-repo'
export type { ReopenInput, ResumePointsRepo } from './resume-points-repo'
export type { GroupsRepo, InsertGroupInput } from './groups-repo'
export type { InsertSweepInput, SweepsRepo } from './sweeps-repo'
export { toRef, type DatasetRecord, type DatasetsRepo } from './datasets-repo'
export type { FinalStatus, FinishInput, InsertRunInput, MarkRunningInput, RunEdit, RunsRepo } from './runs-repo'

/** An open run database with one repository per table. */
export interface RunStore {
  /** The underlying connection, for transactions spanning several repositories. */
  db: Database
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
  /** Closes the connection; WAL content is checkpointed into the main file. Safe to call twice. */
  close(): void
}

/**
 * Opens (creating and migrating if needed) the run database at `path`, or `':memory:'`.
 * Throws a {@link DbError} with a message for a person when the file cannot be used.
 */
export function openRunStore(path: string): RunStore {
  const db = openDatabase(path)
  const epochs = createEpochsRepo(db)
  const results = createResultsRepo(db)
  const resumePoints = createResumePointsRepo(db)
  const datasets = createDatasetsRepo(db)
  const runs = createRunsRepo(db, { epochs, results, resumePoints, datasets })
  return {
    db,
    runs,
    epochs,
    results,
    modelFiles: createModelFilesRepo(db),
    resumePoints,
    groups: createGroupsRepo(db),
    sweeps: createSweepsRepo(db),
    datasets,
    close() {
      if (db.open) db.close()
    }
  }
}
