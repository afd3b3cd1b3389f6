/** The run store's contract: what every engine implements. */
import type { EpochsRepo } from './epochs-repo'
import type { ResultsRepo } from './results-repo'
import type { ModelFilesRepo } from './model-files-repo'
import type { ResumePointsRepo } from './resume-points-repo'
import type { RunsRepo } from './runs-repo'
import type { GroupsRepo } from './groups-repo'
import type { SweepsRepo } from './sweeps-repo'
import type { DatasetsRepo } from './datasets-repo'

/** One repository per table. */
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

/** An open run database with one repository per table; every call is asynchronous. */
export interface RunStore extends StoreRepos {
  readonly engine: 'sqlite' | 'postgres'
  /** Where the store is, for messages and for files kept beside it: the resolved SQLite file path or ':memory:' (later: a URL with the password masked). */
  readonly location: string
  /** Runs fn with repositories bound to one transaction; commits when fn resolves, rolls back when it throws. Other store calls wait until it ends. */
  transaction<T>(fn: (tx: StoreRepos) => Promise<T>): Promise<T>
  /** A number that changes when ANOTHER connection/process has committed since the last call (SQLite: PRAGMA data_version). */
  dataVersion(): Promise<number>
  /** Closes; safe to call twice. SQLite checkpoints its WAL content into the main file. */
  close(): Promise<void>
}
