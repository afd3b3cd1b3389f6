/**
 * Builds the service graph from a data folder and a database path. The Electron app, the CLI and
 * the browser test harness all drive this same core; only the transport and the dialogs differ.
 */
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import type { EventMap, EventName } from '@shared/api'
import type { BackendChoice } from '@shared/trainer-protocol'
import { createApiRouter, type ApiRoute } from './api-router'
import { createApiHandlers } from './api-handlers'
import { openRunStore, type RunStore } from './db'
import { createDatasetService, type DatasetService } from './dataset-service'
import { createEmitter } from './events'
import { createRunService, type RunService } from './runs/run-service'
import { createGroupService, type GroupService } from './runs/group-service'
import type { SpawnTrainer } from './runs/trainer-host'
import { createSettingsStore, type SettingsStore } from './settings'

export type { SpawnTrainer, TrainerHost, TrainerExit } from './runs/trainer-host'
export { forkTrainer } from './runs/fork-host'

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
}

export interface Core {
  /** Validates and serves one API request; never throws. */
  route: ApiRoute
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void
  runs: RunService
  /** Seed-repeat groups and sweeps. */
  groups: GroupService
  dataset: DatasetService
  store: RunStore
  settings: SettingsStore
  /** Runs training or waiting to train. */
  activeRuns(): number
  /** Cancels (or waits for) every run, then closes the database. */
  shutdown(options: { cancelRunning: boolean }): Promise<void>
}

export function createCore(options: CoreOptions): Core {
  const cores = options.cores ?? availableParallelism()
  const store = openRunStore(options.dbPath)
  const interrupted = options.recoverInterrupted === false ? 0 : store.runs.markInterrupted()
  if (interrupted > 0) console.warn(`${interrupted} run(s) left running by a previous session were marked interrupted.`)

  const settings = createSettingsStore({
    path: options.settingsPath === undefined ? join(dirname(options.dbPath), 'settings.json') : options.settingsPath,
    defaults: { dataDir: options.dataDir, dbPath: options.dbPath, concurrency: 1, theme: 'system' }
  })
  const dataDir = (): string => (options.dataDirLocked ? options.dataDir : settings.get().dataDir)
  const events = createEmitter<EventMap>()
  const emit = events.emit.bind(events) as typeof events.emit
  const runs = createRunService({
    store,
    spawn: options.spawnTrainer,
    dataDir,
    appVersion: options.appVersion,
    concurrency: Math.min(settings.get().concurrency, cores),
    backend: options.backend,
    emit
  })
  const groups = createGroupService({ store, runs, appVersion: options.appVersion, emit })
  const dataset = createDatasetService({ dataDir, locked: options.dataDirLocked ?? false, emit })
  const route = createApiRouter(
    createApiHandlers({ runs, groups, dataset, settings, dialogs: options.dialogs, cores, options, dataDir })
  )
  if (options.resumeQueued) runs.resumeQueued()

  let closed = false
  return {
    route,
    on: (event, listener) => events.on(event, listener),
    runs,
    groups,
    dataset,
    store,
    settings,
    activeRuns: () => runs.queue.running().length + runs.queue.queued().length,
    async shutdown({ cancelRunning }) {
      if (closed) return
      if (cancelRunning) await runs.cancelAll()
      else await runs.queue.idle()
      closed = true
      store.close()
    }
  }
}
