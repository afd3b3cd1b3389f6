/** What can be done with runs: start, queue, cancel, edit, delete, read. */
import { formatFieldErrors } from '@shared/error-text'
import type { EventMap } from '@shared/api'
import { CUSTOM_PRESET, defaultHparams, parseHparams, type Hparams } from '@shared/hparams'
import { PRESET_IDS } from '@shared/presets'
import { modelLabel, modelTitle, runMemoryMisfit, runMisfit } from '@shared/run-architecture'
import type { Predictions, RunDetail, RunEstimate, RunSummary } from '@shared/run'
import type { BackendChoice, DatasetLocation } from '@shared/trainer-protocol'
import { trainsInWasmMemory } from '@main/core/tfjs/memory-bound'
import { errorMessage } from '@shared/error-text'
import { BUILTINS, isBuiltin } from '@shared/dataset'
import { augmentMisfit } from '@shared/augment'
import type { ModelFileRecord, RunStore } from '@main/core/store'
import type { TrainingSampleRow } from '@main/core/store/runs-repo'
import { conflict, notFound } from '@main/core/errors'
import type { ModelStore } from '@main/core/models/model-store'
import type { RunQueue as TeamQueue } from '@main/core/queue/run-queue'
import { RunQueue } from './run-queue'
import { threadShare } from './thread-share'
import { RunSession, type SessionLease } from './run-session'
import { createTeamRuns } from './team-runs'
import { toSummary } from './summary'
import { estimateRun } from './estimate'

import type { SpawnTrainer } from './trainer-host'

export interface RunServiceOptions {
  store: RunStore
  models: ModelStore
  spawn: SpawnTrainer
  /**
   * What a run on the named dataset needs (where its files are, how many training images it has);
   * throws a CoreError saying why when the dataset is unknown or not ready.
   */
  dataset: (name: string) => Promise<RunDataset>
  /** The trainer read the whole dataset and reported its content hash (the dataset service records it). */
  datasetLoaded?: (name: string, contentHash: string) => Promise<void>
  appVersion: string
  concurrency: number
  backend?: BackendChoice
  /** Cores shared among the runs that train at once (default: availableParallelism()). */
  cores?: number
  emit: <E extends keyof EventMap>(event: E, payload: EventMap[E]) => void
  /** The team queue of a PostgreSQL store (opened on first use); absent for SQLite, which has none. */
  teamQueue?: () => Promise<TeamQueue>
}

/** What a run needs of its dataset when it starts. */
export interface RunDataset {
  location: DatasetLocation
  /** Images in its training set (a subset may not ask for more). */
  trainCount: number
}

/** A readable default name, e.g. "Shallow CNN · 10 ep · lr 0.001". */
export function defaultRunName(h: Hparams): string {
  const subset = h.trainSubset ? ` · ${h.trainSubset} img` : ''
  return `${modelTitle(modelLabel(h))} · ${h.epochs} ep · lr ${h.learningRate}${subset}`
}

export function createRunService(options: RunServiceOptions) {
  const { store, models, emit } = options

  /**
   * Builds the session that trains a queued run (continuing from its checkpoint when it has one);
   * null when the run can no longer start.
   */
  const buildSession = async (runId: number, { threads, lease }: { threads: number; lease?: SessionLease }): Promise<RunSession | null> => {
    const run = await store.runs.get(runId)
    if (!run || run.status !== 'queued') return null
    // A queued run with a checkpoint was reopened by resume or train more: it continues from it.
    let dataset: DatasetLocation
    try {
      dataset = (await options.dataset(run.hparams.dataset)).location
    } catch (error) {
      // Its dataset was removed or broke while it waited: this run fails, the queue goes on.
      await store.runs.finish(runId, {
        status: 'failed',
        errorMessage: `${errorMessage(error)} The run did not start; fix or add the dataset, then re-run it.`,
        finishedAt: new Date().toISOString()
      })
      emit('runs.updated', toSummary(await detail(runId)))
      return null
    }
    let checkpoint: ModelFileRecord | null
    try {
      // On a team store the checkpoint may have been written on another machine: fetched (verified) here.
      checkpoint = await models.localCheckpoint(runId)
    } catch (error) {
      await store.runs.finish(runId, {
        status: 'failed',
        errorMessage: `${errorMessage(error)} The run did not continue.`,
        finishedAt: new Date().toISOString()
      })
      emit('runs.updated', toSummary(await detail(runId)))
      return null
    }
    const last = run.resumePoints.at(-1)
    return new RunSession({
      runId,
      hparams: run.hparams,
      dataset,
      onReady: (checksum) => recordLoaded(run.hparams.dataset, checksum),
      backend: options.backend ?? 'auto',
      threads,
      spawn: options.spawn,
      store,
      models,
      resume: checkpoint
        ? {
            file: checkpoint.file,
            sha256: checkpoint.sha256,
            resetEarlyStopping: last?.kind === 'extended' && last.afterEpoch === checkpoint.epoch
          }
        : null,
      emit,
      lease
    })
  }

  const queue = new RunQueue({
    concurrency: options.concurrency,
    createSession: (runId, { concurrent }) => buildSession(runId, { threads: threadShare(concurrent, options.cores) })
  })

  /** Training images of a dataset for estimates (the stored row, else the catalogue; 0, an unusable sample, for a dataset gone since). */
  const trainCountOf = async (name: string): Promise<number> =>
    (await store.datasets.get(name))?.trainCount ?? (isBuiltin(name) ? BUILTINS[name].trainCount : 0)

  const recordLoaded = (name: string, checksum: string | null): void => {
    if (!checksum || !options.datasetLoaded) return
    options.datasetLoaded(name, checksum).catch((error: unknown) => {
      // Only the dataset's description misses its hash; the run trains on.
      console.warn(`Could not record the content hash of dataset ${name}: ${errorMessage(error)}`)
    })
  }

  /** Training here happens inside WebAssembly's 4 GB, so a run whose batch cannot fit there is refused up front. */
  const memoryBound = trainsInWasmMemory(options.backend ?? 'auto')

  /**
   * Refuses hyperparameters whose dataset cannot be used now (unknown, not downloaded, damaged) or
   * whose subset is larger than the dataset's training set; nothing is recorded then. A run that trained
   * before (resumed, trained further) is not refused for memory: it ran in what it needs.
   */
  const checkDataset = async (h: Hparams, { trainedBefore = false } = {}): Promise<RunDataset> => {
    const dataset = await options.dataset(h.dataset)
    const { shape, classNames } = dataset.location.ref
    const misfit = runMisfit(h, shape, classNames.length)
    if (misfit) {
      const change = h.preset === CUSTOM_PRESET ? 'change the architecture' : 'choose another preset'
      throw conflict(`${misfit} (dataset ${h.dataset}); ${change}. Nothing was started.`)
    }
    const memory = memoryBound && !trainedBefore ? runMemoryMisfit(h, shape, classNames.length, dataset.trainCount) : null
    if (memory) throw conflict(`${memory} (dataset ${h.dataset}). Nothing was started.`)
    const augment = augmentMisfit(h.recipe.augment, shape)
    if (augment) throw conflict(`Augmentation: ${augment} (dataset ${h.dataset}). Nothing was started.`)
    if (h.trainSubset !== null && h.trainSubset > dataset.trainCount) {
      throw conflict(
        `A training subset of ${h.trainSubset.toLocaleString('en-US')} images is more than ${h.dataset} has ` +
          `(${dataset.trainCount.toLocaleString('en-US')} training images); choose at most ${dataset.trainCount.toLocaleString('en-US')}, or no subset. Nothing was started.`
      )
    }
    return dataset
  }

  /** Puts a finished run back in the queue to continue from its verified checkpoint. */
  const reopen = async (id: number, kind: 'resumed' | 'extended', extraEpochs?: number): Promise<RunSummary> => {
    const run = await detail(id)
    if (queue.running().includes(id) || queue.queued().includes(id)) throw conflict(`Run ${id} is already ${run.status}.`)
    const allowed = kind === 'resumed' ? ['interrupted', 'failed', 'cancelled'] : ['completed']
    if (!allowed.includes(run.status)) {
      throw conflict(
        kind === 'resumed'
          ? `Run ${id} is ${run.status}; only interrupted, failed or cancelled runs can be resumed${run.status === 'completed' ? ' (use Train more to extend it)' : ''}. Nothing was changed.`
          : `Run ${id} is ${run.status}; only completed runs can be trained further${run.status !== 'queued' && run.status !== 'running' ? ' (use Resume to finish it first)' : ''}. Nothing was changed.`
      )
    }
    const checkpoint = await models.verifiedCheckpoint(id)
    let hparams: Hparams | undefined
    if (kind === 'extended') {
      const parsed = parseHparams({ ...run.hparams, epochs: checkpoint.epoch + (extraEpochs ?? 0) })
      if (!parsed.ok) {
        throw conflict(`Run ${id} cannot be trained ${extraEpochs} more epochs: ${formatFieldErrors(parsed.errors)}. Nothing was changed.`)
      }
      hparams = parsed.value
    }
    await checkDataset(hparams ?? run.hparams, { trainedBefore: true })
    await models.sweep(id)
    await store.resumePoints.reopen(id, { kind, afterEpoch: checkpoint.epoch, hparams })
    const summary = toSummary(await detail(id))
    emit('runs.updated', summary)
    await queue.enqueue(id)
    return summary
  }

  const detail = async (id: number): Promise<RunDetail> => {
    const run = await store.runs.get(id)
    if (!run) throw notFound(`Run ${id}`)
    return run
  }

  /** Checks the hyperparameters against their dataset, records the run as queued and announces it. */
  const record = async (hparams: Hparams, name?: string): Promise<RunSummary> => {
    await checkDataset(hparams)
    const run = await store.runs.insert({ name: name ?? defaultRunName(hparams), hparams, appVersion: options.appVersion })
    emit('runs.updated', run)
    return run
  }

  const start = async (hparams: Hparams, name?: string): Promise<RunSummary> => {
    const run = await record(hparams, name)
    await queue.enqueue(run.id)
    return run
  }

  const teamRuns = createTeamRuns({
    store,
    models,
    appVersion: options.appVersion,
    teamQueue: options.teamQueue,
    dataset: options.dataset,
    buildSession,
    record,
    emit
  })

  return {
    queue,
    ...teamRuns,
    checkDataset,
    /** Whether training here is held to WebAssembly's 4 GB, so runs whose batch cannot fit are refused. */
    memoryBound,
    list: (): Promise<RunSummary[]> => store.runs.list(),
    get: detail,
    getMany: async (ids: number[]): Promise<RunDetail[]> => {
      const details: RunDetail[] = []
      // One at a time, in order: the first unknown id is the error, as before.
      for (const id of ids) details.push(await detail(id))
      return details
    },
    predictions: async (id: number): Promise<Predictions | null> => {
      await detail(id)
      return store.results.getPredictions(id)
    },
    start,
    startSeedPresets: async (epochs?: number): Promise<RunSummary[]> => {
      const started: RunSummary[] = []
      for (const preset of PRESET_IDS) {
        const h = defaultHparams(preset)
        if (epochs) h.epochs = epochs
        started.push(await start(h))
      }
      return started
    },
    /** Expected training time of each run on this machine, from past completed runs of its preset here. */
    estimate: async (list: Hparams[]): Promise<RunEstimate[]> => {
      const byPreset = new Map<string, TrainingSampleRow[]>()
      const estimates: RunEstimate[] = []
      for (const h of list) {
        // Custom runs share the preset "custom" whatever their architecture: their past times say nothing of this one.
        if (!byPreset.has(h.preset)) byPreset.set(h.preset, h.preset === CUSTOM_PRESET ? [] : await store.runs.trainingSamples(h.preset))
        const samples = []
        for (const s of byPreset.get(h.preset) ?? []) {
          // Each past run's epoch counted in the images of its own dataset.
          const count = await trainCountOf(s.dataset)
          samples.push({ imagesPerEpoch: Math.min(s.trainSubset ?? count, count), epochs: s.epochs, ms: s.ms, batchSize: s.batchSize })
        }
        estimates.push(estimateRun(h, samples, await trainCountOf(h.dataset)))
      }
      return estimates
    },
    rerun: async (id: number): Promise<RunSummary> => {
      const run = await detail(id)
      return start(run.hparams, `${run.name} (re-run)`)
    },
    cancel: async (id: number): Promise<RunSummary> => {
      const run = await detail(id)
      if (queue.remove(id)) {
        await store.runs.finish(id, { status: 'cancelled', finishedAt: new Date().toISOString() })
      } else if (queue.session(id)) {
        queue.session(id)?.cancel()
      } else if (run.status === 'queued') {
        await store.runs.finish(id, { status: 'cancelled', finishedAt: new Date().toISOString() })
        // Its job leaves the team queue too (a worker that took it meanwhile finds the run cancelled).
        if (options.teamQueue) await (await options.teamQueue()).cancel(id)
      } else if (run.status === 'running' && (await store.leases.requestCancel(id))) {
        // A worker holds it: the cancel reaches it with its next lease renewal, and it records the end.
      } else if (run.ownedElsewhere) {
        throw conflict(
          `Run ${id} is being trained by another process (e.g. the CLI) on this database; cancel it there (Ctrl+C in its terminal). Nothing was changed.`
        )
      } else {
        throw conflict(`Run ${id} is ${run.status}; only queued or running runs can be cancelled.`)
      }
      const updated = toSummary(await detail(id))
      emit('runs.updated', updated)
      return updated
    },
    update: async (id: number, changes: { name?: string; notes?: string; tags?: string[] }): Promise<RunSummary> => {
      await detail(id)
      const updated = await store.runs.update(id, changes)
      emit('runs.updated', updated)
      return updated
    },
    delete: async (ids: number[]): Promise<number> => {
      for (const id of ids) {
        if (queue.session(id)) throw conflict(`Run ${id} is training; cancel it before deleting it. Nothing was deleted.`)
      }
      ids.forEach((id) => queue.remove(id))
      const deleted = await store.runs.delete(ids)
      // Files after rows: a crash in between leaves unnamed files, never rows naming missing files.
      ids.forEach((id) => models.deleteRun(id))
      // A group or sweep whose runs are all gone is forgotten with them.
      await store.groups.pruneEmpty()
      await store.sweeps.pruneEmpty()
      emit('runs.deleted', { ids })
      return deleted
    },
    /** Continues an interrupted, failed or cancelled run from its last checkpoint. */
    resume: (id: number): Promise<RunSummary> => reopen(id, 'resumed'),
    /** Trains a completed run `epochs` more epochs in place, from its last checkpoint; test metrics are evaluated again. */
    trainMore: (id: number, epochs: number): Promise<RunSummary> => reopen(id, 'extended', epochs),
    /** Re-queues runs left queued by the previous session (e.g. the app closed before they started). */
    resumeQueued: async (): Promise<number> => {
      const queued = (await store.runs.list()).filter((r) => r.status === 'queued').reverse()
      await Promise.all(queued.map((r) => queue.enqueue(r.id)))
      return queued.length
    },
    /**
     * Cancels the runs that are training and waits until they have stopped; queued runs are only taken out
     * of this session's queue and stay `queued` in the database, for the next start to pick up.
     */
    async cancelTraining(): Promise<void> {
      for (const id of queue.queued()) queue.remove(id)
      // A run whose session is still being built has no trainer yet: taken back, it stays queued too.
      queue.running().forEach((id) => (queue.session(id) ? queue.session(id)?.cancel() : queue.remove(id)))
      await queue.idle()
    },
    /** Cancels everything queued or training and waits until all have stopped. */
    async cancelAll(): Promise<void> {
      for (const id of queue.queued()) {
        queue.remove(id)
        await store.runs.finish(id, { status: 'cancelled', finishedAt: new Date().toISOString() })
      }
      for (const id of queue.running()) {
        const session = queue.session(id)
        if (session) session.cancel()
        // Its session is still being built: no trainer started, so it is cancelled like a queued run.
        else if (queue.remove(id)) await store.runs.finish(id, { status: 'cancelled', finishedAt: new Date().toISOString() })
      }
      await queue.idle()
    }
  }
}

export type RunService = ReturnType<typeof createRunService>
