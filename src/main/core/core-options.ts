/**
 * What the core is opened with: its folders, its trainer host and the dialogs of its shell. A module of
 * its own so the API handlers can name these without importing the core that builds them (no cycle).
 */
import type { BackendChoice } from '@shared/trainer-protocol'
import type { SpawnTrainer } from './runs/trainer-host'

/** Native dialogs in the app; the harness answers them with fixed paths. */
export interface Dialogs {
  saveFile(options: { title: string; suggestedName: string; filters: { name: string; extensions: string[] }[] }): Promise<string | null>
  openFolder(options: { title: string }): Promise<string | null>
}

export interface CoreOptions {
  /** Folder of the four Fashion-MNIST files. */
  dataDir: string
  /** SQLite file of the run database. */
  dbPath: string
  /** Folder of the datasets other than Fashion-MNIST (built-ins' files, imported folders' cache files); default `ATELIER_DATASETS_DIR`, else `datasets/` beside the database (a temp folder for `:memory:`). */
  datasetsDir?: string
  /** Folder of the runs' model files; default `models/` beside the database (a temp folder for `:memory:`). */
  modelsDir?: string
  appVersion: string
  /** True when dataDir came from ATELIER_DATA_DIR or a flag: read-only, not changeable in Settings. */
  dataDirLocked?: boolean
  /** Where settings persist; default `settings.json` beside the database; null keeps them in memory. */
  settingsPath?: string | null
  spawnTrainer: SpawnTrainer
  dialogs: Dialogs
  /** Upper bound for concurrency (default: the machine's cores). */
  cores?: number
  backend?: BackendChoice
  /** Start runs left queued by the previous session (the app does; the CLI does not). */
  resumeQueued?: boolean
  /**
   * Mark runs left `running` by a process that is gone as `interrupted` (default true). Runs a
   * live process drives (the app while the CLI starts, or the reverse) are left alone.
   */
  recoverInterrupted?: boolean
  /**
   * How often (ms) to look for runs another process added or changed in the same database, and report
   * them as events (default 1000; 0 turns it off).
   */
  watchIntervalMs?: number
  /** The name this process goes by in a team store's queue and worker list (default host:pid). */
  workerName?: string
  /**
   * How long a worker's lease on a run lasts without renewal (default 30 s): how soon another worker
   * resumes the run of a worker that died. The team queue's heartbeat follows it.
   */
  leaseMs?: number
}
