/**
 * Builds the service graph from a data folder and a database path. The Electron app, the CLI and
 * the browser test harness all drive this same core; only the transport and the dialogs differ.
 */
import { mkdtempSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import pg from 'pg'
import type { ApiResult, EventMap, EventName } from '@shared/api'
import { createApiRouter, settle, validateRequest, type ApiRoute } from './api/api-router'
import { createExportBuilders, EXPORT_CHANNELS, type ExportChannel, type ExportedFile } from './export/exported-file'
import { createApiHandlers } from './api/api-handlers'
import { DbError, openRunStore, type RunStore } from './store'
import type { DatasetFolders } from './dataset/location'
import { datasetsDirFromEnv, resolveUserDataDir } from './default-paths'
import { isPostgresUrl, parseStoreLocation, type PostgresLocation } from './store/store-location'
import { openRunQueue, processName, timingForLease, type RunQueue as TeamQueue } from './queue/run-queue'
import { connectError, poolConfig, readOnlyError } from './store/postgres-connection'
import { createPostgresBlobs, ensureBlobSchema, type PostgresBlobs } from './blobs/postgres-blobs'
import { createDatasetService, type DatasetService } from './dataset/dataset-service'
import { createEmitter } from './events'
import { createModelStore, type ModelStore } from './models/model-store'
import { createRunService, type RunService } from './runs/run-service'
import { createGroupService, type GroupService } from './runs/group-service'
import { watchStore, type StoreWatcher } from './runs/store-watcher'
import { DEFAULT_LEASE_MS, startTeamWorker, type TeamWorker, type TeamWorkerOptions } from './runs/team-worker'
import { createSettingsStore, type SettingsStore } from './settings'
import { createModelService, type ModelService } from './models/model-service'
import type { CoreOptions } from './core-options'
import { createArchitectureLibrary, type ArchitectureLibrary } from './architectures/architecture-library'
export type { Dialogs, CoreOptions } from './core-options'

export type { SpawnTrainer, TrainerHost, TrainerExit } from './runs/trainer-host'
export { forkTrainer } from './runs/fork-host'
export type { TeamWorker } from './runs/team-worker'
export { copyStore, type CopyReport } from './copy-store'
export { DEFAULT_LEASE_MS } from './runs/team-worker'
export { trainsInWasmMemory } from './tfjs/memory-bound'

/** An export request answered with the file itself instead of a save dialog (the browser shell's downloads). */
export type ExportRoute = (channel: string, request: unknown) => Promise<ApiResult<ExportedFile>>

export interface Core {
  /** Validates and serves one API request; never throws. */
  route: ApiRoute
  /** For the export channels: validates like `route`, then returns the file's name and bytes; never throws. */
  exportFile: ExportRoute
  /** True for the channels `exportFile` serves. */
  isExportChannel(channel: string): channel is ExportChannel
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void
  runs: RunService
  /** Trained models and checkpoints on disk (`loadModelArtifacts`, `modelInfo`). */
  models: ModelStore
  /** Seed-repeat groups and sweeps. */
  groups: GroupService
  dataset: DatasetService
  store: RunStore
  settings: SettingsStore
  /** Export, predictions and saliency maps of trained models (inference in a worker thread). */
  modelService: ModelService
  /** Saved, named, versioned architectures. */
  architectures: ArchitectureLibrary
  /**
   * Makes this process a worker of the team store: it takes queued runs and trains them under a
   * lease until stopped. A SQLite store has no queue: a CoreError says so.
   */
  startWorker(options: Omit<TeamWorkerOptions, 'runs' | 'queue' | 'cores' | 'name'> & { name?: string }): Promise<TeamWorker>
  /** Runs training or waiting to train. */
  activeRuns(): number
  /** Runs whose trainer is working now (not the queued ones). */
  trainingRuns(): number
  /**
   * Cancels (or waits for) every run, then closes the database. With `keepQueued`, runs still waiting
   * stay queued in the database for the next start instead of being cancelled.
   */
  shutdown(options: { cancelRunning: boolean; keepQueued?: boolean }): Promise<void>
}

/**
 * Where a store's local files go (models, dataset caches, settings): beside a SQLite file; for a
 * PostgreSQL store, in this machine's `<user data>/team-stores/` (its model files are kept in the
 * database too, and fetched here when needed); a fresh temporary folder for `:memory:`.
 */
function besideDatabase(dbPath: string, name: 'models' | 'datasets' | 'settings.json'): string {
  if (isPostgresUrl(dbPath)) return join(resolveUserDataDir(), 'team-stores', name)
  if (dbPath === ':memory:') return mkdtempSync(join(tmpdir(), `atelier-${name}-`))
  return join(dirname(resolve(dbPath)), name)
}

/** Blob connections per machine: stores and fetches are one or two at a time, a sweep one query. */
const BLOB_POOL_SIZE = 3

/**
 * A team store's model files in its database: the blob store on its own small pool over the same URL
 * (its schema created if needed), with this machine's staging folder beside the models. Null for SQLite.
 */
async function openModelBlobs(dbPath: string, modelsRoot: string): Promise<{ blobs: PostgresBlobs; close: () => Promise<void> } | null> {
  const location = parseStoreLocation(dbPath)
  if (location.engine !== 'postgres') return null
  const pool = new pg.Pool({ ...poolConfig(location), max: BLOB_POOL_SIZE })
  // As the store's pool: an idle connection dropping must not end the process; the next query reconnects.
  pool.on('error', () => undefined)
  pool.on('connect', (client) => void client.on('error', () => undefined))
  try {
    await ensureBlobSchema(pool)
  } catch (error) {
    // A viewer's read-only role cannot create the schema: it browses without model files until a
    // worker or a writer has created it (every model of a team store is written by one of those).
    if (!(readOnlyError(location, error) instanceof DbError)) {
      await pool.end().catch(() => undefined)
      throw connectError(location, error)
    }
  }
  return { blobs: createPostgresBlobs({ pool, cacheDir: join(modelsRoot, 'blob-cache') }), close: () => pool.end() }
}

/** Opens the store and builds the services; rejects (a DbError for a person) when the database cannot be used. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const cores = options.cores ?? availableParallelism()
  const store = await openRunStore(options.dbPath)
  // A run's owner is a process id on the machine that trains it: only a SQLite store, which one
  // machine uses, can tell from here that the process is gone (a team store needs a lease; not yet).
  const recoverOrphans = options.recoverInterrupted !== false && store.engine === 'sqlite'
  const interrupted = recoverOrphans ? await store.runs.markInterrupted() : 0
  if (interrupted > 0) console.warn(`${interrupted} run(s) left running by a previous session were marked interrupted.`)

  const settings = createSettingsStore({
    path: options.settingsPath === undefined ? besideDatabase(options.dbPath, 'settings.json') : options.settingsPath,
    // The real location: the API masks a team store's password before the page sees it.
    defaults: { dataDir: options.dataDir, dbPath: options.dbPath, concurrency: 1, theme: 'system' }
  })
  const dataDir = (): string => (options.dataDirLocked ? options.dataDir : settings.get().dataDir)
  const datasetsDir = options.datasetsDir ?? datasetsDirFromEnv() ?? besideDatabase(options.dbPath, 'datasets')
  const datasetFolders = (): DatasetFolders => ({ fashionDir: dataDir(), datasetsDir })
  const events = createEmitter<EventMap>()
  // What this process reports itself, the store watcher (below) does not report again.
  let watcher: StoreWatcher | null = null
  const emit: typeof events.emit = (event, payload) => {
    watcher?.saw(event, payload)
    events.emit(event, payload)
  }
  const modelsRoot = options.modelsDir ?? besideDatabase(options.dbPath, 'models')
  let modelBlobs: Awaited<ReturnType<typeof openModelBlobs>>
  try {
    modelBlobs = await openModelBlobs(options.dbPath, modelsRoot)
  } catch (error) {
    await store.close()
    throw error
  }
  const models = await createModelStore({ store, modelsDir: modelsRoot, blobs: modelBlobs?.blobs })
  // Before any run starts: leftovers of a crash are swept for every run not training now, resumable or not.
  let startUp: Awaited<ReturnType<ModelStore['startUp']>> = { moved: 0, legacyFormat: 0, swept: 0 }
  try {
    startUp = await models.startUp()
  } catch (error) {
    // Housekeeping only: the runs and their recorded files are intact, so the store still opens.
    console.warn(
      `Could not tidy the model folder ${models.modelsDir} (${(error as Error).message}); every run and its recorded files were kept.`
    )
  }
  if (startUp.moved > 0) {
    console.warn(
      `Moved ${startUp.moved} model file(s) of this run database into its own folder ${models.modelsDir} ` +
        '(databases beside each other no longer share one).' +
        (startUp.legacyFormat > 0
          ? ` ${startUp.legacyFormat} of them were written by an older Atelier (atelier-model/1), whose checksum did not cover the header; their SHA-256 is now recorded in the database and checked on every load.`
          : '')
    )
  }
  // The dataset service deletes runs through the run service, which asks it about datasets: each reaches the other lazily.
  const dataset: DatasetService = createDatasetService({
    datasets: store.datasets,
    folders: datasetFolders,
    locked: options.dataDirLocked ?? false,
    emit,
    dialogs: options.dialogs,
    deleteRuns: (ids) => runs.delete(ids)
  })
  // A team store's queue (pg-boss) is opened on first use: most commands never queue anything.
  let teamQueue: Promise<TeamQueue> | null = null
  const openTeamQueue =
    store.engine === 'postgres'
      ? (): Promise<TeamQueue> =>
          (teamQueue ??= openRunQueue(parseStoreLocation(options.dbPath) as PostgresLocation, {
            name: options.workerName,
            timing: timingForLease(options.leaseMs ?? DEFAULT_LEASE_MS)
          }).catch((error: unknown) => {
            teamQueue = null
            throw error
          }))
      : undefined
  const runs: RunService = createRunService({
    store,
    models,
    spawn: options.spawnTrainer,
    dataset: (name) => dataset.forRun(name),
    datasetLoaded: (name, hash) => dataset.loaded(name, hash),
    appVersion: options.appVersion,
    concurrency: Math.min(settings.get().concurrency, cores),
    backend: options.backend,
    cores,
    emit,
    teamQueue: openTeamQueue
  })
  const groups = createGroupService({ store, runs, appVersion: options.appVersion, emit })
  const modelService = createModelService({
    source: models,
    getRun: (id) => runs.get(id),
    appVersion: options.appVersion
  })
  const architectures = createArchitectureLibrary(store.architectures)
  const exports = createExportBuilders({ runs, dataset, modelService, groups, appVersion: options.appVersion })
  const route = createApiRouter(
    createApiHandlers({
      runs,
      models,
      modelService,
      groups,
      dataset,
      settings,
      dialogs: options.dialogs,
      cores,
      options,
      dataDir,
      exports,
      architectures
    })
  )
  const isExportChannel = (channel: string): channel is ExportChannel => (EXPORT_CHANNELS as readonly string[]).includes(channel)
  const exportFile: ExportRoute = async (channel, request) => {
    const valid = validateRequest(channel, request)
    if (!valid.ok) return valid
    if (!isExportChannel(valid.channel)) {
      return { ok: false, error: { code: 'invalid_request', message: `${valid.channel} does not export a file.` } }
    }
    const build = exports[valid.channel] as (r: unknown) => Promise<ExportedFile>
    return settle(valid.channel, () => build(valid.data))
  }
  // Queued runs of a team store wait in its queue for any worker; only a SQLite store's are this process's to start.
  if (options.resumeQueued && store.engine === 'sqlite') await runs.resumeQueued()
  watcher = await watchStore({
    store,
    emit: events.emit.bind(events) as typeof events.emit,
    intervalMs: options.watchIntervalMs ?? 1000,
    recoverOrphans
  })

  let closed = false
  return {
    route,
    exportFile,
    isExportChannel,
    on: (event, listener) => events.on(event, listener),
    runs,
    models,
    groups,
    dataset,
    store,
    settings,
    modelService,
    architectures,
    startWorker: async (worker) =>
      startTeamWorker({ leaseMs: options.leaseMs, ...worker, name: processName(worker.name), runs, queue: await runs.team(), cores }),
    activeRuns: () => runs.queue.running().length + runs.queue.queued().length,
    trainingRuns: () => runs.queue.running().length,
    async shutdown({ cancelRunning, keepQueued }) {
      if (closed) return
      if (cancelRunning && keepQueued) await runs.cancelTraining()
      else if (cancelRunning) await runs.cancelAll()
      else await runs.queue.idle()
      closed = true
      // A worker stopped the queue already; stopping it again is harmless.
      if (teamQueue) await (await teamQueue.catch(() => null))?.stop({ graceful: false }).catch(() => undefined)
      await watcher?.stop()
      await modelService.close()
      await models.idle()
      await store.close()
      await modelBlobs?.close()
    }
  }
}
