/** Drives one run's trainer process and records what it reports; the database is written only here. */
import type { EventMap } from '@shared/api'
import type { Hparams } from '@shared/hparams'
import type { RunStatus } from '@shared/run'
import type { BackendChoice, DatasetLocation, TrainerEvent, TrainerResume } from '@shared/trainer-protocol'
import type { RunStore } from '@main/core/store'
import type { ModelStore } from '@main/core/models/model-store'
import type { SpawnTrainer, TrainerExit, TrainerHost } from './trainer-host'
import { toSummary } from './summary'

export interface RunSessionOptions {
  runId: number
  hparams: Hparams
  /** Where the run's dataset is (the trainer loads it from there). */
  dataset: DatasetLocation
  backend: BackendChoice
  /** WASM threads this run may use: its share of the cores among the runs training at once. */
  threads: number
  spawn: SpawnTrainer
  store: RunStore
  /** Where the run's checkpoint and model files live. */
  models: ModelStore
  /** Continue from this checkpoint; null for a fresh run. */
  resume: TrainerResume | null
  emit: <E extends keyof EventMap>(event: E, payload: EventMap[E]) => void
  /** The trainer loaded the dataset and reported its content hash (null when it could not tell). */
  onReady?: (datasetChecksum: string | null) => void
  /** How long a cancelled trainer may take to stop at its next batch before it is killed. */
  cancelGraceMs?: number
}

/** Final state of a run session and, for failures, the reason. */
export interface SessionOutcome {
  status: RunStatus
  error: string | null
}

export class RunSession {
  readonly runId: number
  /** Resolves when the run has reached a final status and it is stored. */
  readonly finished: Promise<SessionOutcome>
  private host: TrainerHost | null = null
  private settled = false
  private cancelRequested = false
  private resolve!: (outcome: SessionOutcome) => void

  constructor(private readonly options: RunSessionOptions) {
    this.runId = options.runId
    this.finished = new Promise((resolve) => (this.resolve = resolve))
  }

  /** Starts the trainer process and sends it the run. */
  start(): void {
    const { spawn, hparams, dataset, backend, threads, models, resume } = this.options
    let modelDir: string
    try {
      modelDir = models.prepareRunDir(this.runId)
    } catch (error) {
      this.settle('failed', `the folder for the run's model files could not be created: ${(error as Error).message}`)
      return
    }
    try {
      this.host = spawn()
    } catch (error) {
      this.settle('failed', `the trainer process could not start: ${(error as Error).message}`)
      return
    }
    this.host.onMessage((event) => this.handle(event))
    this.host.onExit((exit) => this.handleExit(exit))
    this.host.send({ type: 'start', runId: this.runId, hparams, dataset, backend, threads, modelDir, storeId: models.storeId, resume })
    this.options.emit('runs.phase', { runId: this.runId, phase: 'starting' })
  }

  /** Asks the trainer to stop at its next batch; kills it if it does not within the grace period. */
  cancel(): void {
    if (this.settled) return
    this.cancelRequested = true
    if (!this.host) {
      this.settle('cancelled', null)
      return
    }
    this.host.send({ type: 'cancel', runId: this.runId })
    const grace = this.options.cancelGraceMs ?? 5000
    setTimeout(() => {
      if (!this.settled) {
        this.host?.kill()
        this.settle('cancelled', null)
      }
    }, grace).unref()
  }

  private handle(event: TrainerEvent): void {
    if (this.settled || event.runId !== this.runId) return
    const { store, emit } = this.options
    try {
      switch (event.type) {
        case 'ready':
          store.runs.markRunning(this.runId, {
            backendInfo: event.backend,
            datasetChecksum: event.datasetChecksum,
            startedAt: new Date().toISOString()
          })
          this.emitUpdated()
          this.options.onReady?.(event.datasetChecksum)
          break
        case 'phase':
          emit('runs.phase', { runId: this.runId, phase: event.phase })
          break
        case 'progress': {
          const { type: _type, ...progress } = event
          emit('runs.progress', progress)
          break
        }
        case 'epoch': {
          // The epoch and the checkpoint written after it are recorded together or not at all.
          const replaced = store.db.transaction(() => {
            store.epochs.append(this.runId, event.record)
            return store.modelFiles.record(this.runId, 'checkpoint', event.checkpoint)
          })()
          this.options.models.removeFile(this.runId, replaced)
          emit('runs.epoch', { runId: this.runId, record: event.record })
          this.emitUpdated()
          break
        }
        case 'done':
          if (event.status === 'completed' && event.metrics && event.predictions) {
            const { metrics, predictions, model } = event
            const replaced = store.db.transaction(() => {
              store.results.save(this.runId, metrics, predictions)
              return model ? store.modelFiles.record(this.runId, 'model', model) : null
            })()
            this.options.models.removeFile(this.runId, replaced)
          }
          this.settle(event.status === 'completed' ? 'completed' : 'cancelled', null)
          break
        case 'error':
          this.settle(this.cancelRequested ? 'cancelled' : 'failed', event.message)
          break
      }
    } catch (error) {
      // A storage failure ends the run rather than leaving it half-recorded and still training.
      this.host?.kill()
      this.settle('failed', `could not record the run: ${(error as Error).message}`)
    }
  }

  private handleExit(exit: TrainerExit): void {
    if (this.settled) return
    if (this.cancelRequested) {
      this.settle('cancelled', null)
      return
    }
    const done = this.options.store.runs.get(this.runId)?.epochsDone ?? 0
    const checkpoint = this.options.store.modelFiles.get(this.runId, 'checkpoint')
    this.settle(
      'failed',
      `The trainer process ${exit.reason} before the run finished; ${done} completed epoch${done === 1 ? ' was' : 's were'} kept.` +
        (checkpoint ? ` Resume it to continue after epoch ${checkpoint.epoch}.` : '')
    )
  }

  private settle(status: RunStatus, error: string | null): void {
    if (this.settled) return
    this.settled = true
    try {
      this.options.store.runs.finish(this.runId, {
        status,
        errorMessage: error ?? undefined,
        finishedAt: new Date().toISOString()
      })
      this.emitUpdated()
    } catch (storeError) {
      console.error(`run ${this.runId}: could not store its final status:`, storeError)
    }
    this.options.emit('runs.phase', { runId: this.runId, phase: null })
    this.resolve({ status, error })
  }

  private emitUpdated(): void {
    const detail = this.options.store.runs.get(this.runId)
    if (detail) this.options.emit('runs.updated', toSummary(detail))
  }
}
