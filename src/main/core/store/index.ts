/** The run store: the one entry point the rest of the app uses for the run database. */
import { openSqliteStore } from './sqlite-store'
import type { RunStore } from './run-store'

export { DbError, type DbErrorKind } from './db-error'
export type { RunStore, StoreRepos } from './run-store'
export type { EpochsRepo } from './epochs-repo'
export type { ResultsRepo } from './results-repo'
export type { ModelFileKind, ModelFileRecord, ModelFilesRepo } from './model-files-repo'
export type { ReopenInput, ResumePointsRepo } from './resume-points-repo'
export type { GroupsRepo, InsertGroupInput } from './groups-repo'
export type { InsertSweepInput, SweepsRepo } from './sweeps-repo'
export { toRef, type DatasetRecord, type DatasetsRepo } from './datasets-repo'
export type { FinalStatus, FinishInput, InsertRunInput, MarkRunningInput, RunEdit, RunsRepo } from './runs-repo'

/**
 * Opens (creating and migrating if needed) the run database at `location`, or `':memory:'`.
 * Rejects with a {@link DbError} with a message for a person when the file cannot be used.
 */
export function openRunStore(location: string): Promise<RunStore> {
  return openSqliteStore(location)
}
