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
  /**
   * The trainer's messages, its exit and a forced cancel are handled one at a time in arrival order,
   * each one's writes stored before the next starts: epochs stay in order, the final status comes after the last epoch.
   */
  private work: Promise<void> = Promise.resolve()

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
      this.later(() => this.settle('failed', `the folder for the run's model files could not be created: ${(error as Error).message}`))
      return
    }
    try {
      this.host = spawn()
    } catch (error) {
      this.later(() => this.settle('failed', `the trainer process could not start: ${(error as Error).message}`))
      return
    }
    this.host.onMessage((event) => this.later(() => this.handle(event)))
    this.host.onExit((exit) => this.later(() => this.handleExit(exit)))
    this.host.send({ type: 'start', runId: this.runId, hparams, dataset, backend, threads, modelDir, storeId: models.storeId, resume })
    this.options.emit('runs.phase', { runId: this.runId, phase: 'starting' })
  }

  /** Resolves once every trainer message received so far is handled: its writes stored, its events emitted. */
  handled(): Promise<void> {
    return this.work
  }

  /** Asks the trainer to stop at its next batch; kills it if it does not within the grace period. */
  cancel(): void {
    if (this.settled) return
    this.cancelRequested = true
    if (!this.host) {
      this.later(() => this.settle('cancelled', null))
      return
    }
    this.host.send({ type: 'cancel', runId: this.runId })
    const grace = this.options.cancelGraceMs ?? 5000
    setTimeout(() => {
      if (!this.settled) {
        this.host?.kill()
        this.later(() => this.settle('cancelled', null))
      }
    }, grace).unref()
  }

  /** Queues a step after the ones before it (see {@link work}). */
  private later(step: () => Promise<void>): void {
    this.work = this.work.then(step).catch((error: unknown) => console.error(`run ${this.runId}:`, error))
  }

  private async handle(event: TrainerEvent): Promise<void> {
    if (this.settled || event.runId !== this.runId) return
    const { store, emit } = this.options
    try {
      switch (event.type) {
        case 'ready':
          await store.runs.markRunning(this.runId, {
            backendInfo: event.backend,
            datasetChecksum: event.datasetChecksum,
            startedAt: new Date().toISOString()
          })
          await this.emitUpdated()
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
          await this.options.models.publish(this.runId, event.checkpoint)
          const replaced = await store.transaction(async (tx) => {
            await tx.epochs.append(this.runId, event.record)
            return tx.modelFiles.record(this.runId, 'checkpoint', event.checkpoint)
          })
          this.options.models.removeFile(this.runId, replaced)
          emit('runs.epoch', { runId: this.runId, record: event.record })
          await this.emitUpdated()
          break
        }
        case 'done':
          if (event.status === 'completed' && event.metrics && event.predictions) {
            const { metrics, predictions, model } = event
            await this.options.models.publish(this.runId, model)
            const replaced = await store.transaction(async (tx) => {
              await tx.results.save(this.runId, metrics, predictions)
              return model ? tx.modelFiles.record(this.runId, 'model', model) : null
            })
            this.options.models.removeFile(this.runId, replaced)
          }
          await this.settle(event.status === 'completed' ? 'completed' : 'cancelled', null)
          break
        case 'error':
          await this.settle(this.cancelRequested ? 'cancelled' : 'failed', event.message)
          break
      }
    } catch (error) {
      // A storage failure ends the run rather than leaving it half-recorded and still training.
      this.host?.kill()
      await this.settle('failed', `could not record the run: ${(error as Error).message}`)
    }
  }

  private async handleExit(exit: TrainerExit): Promise<void> {
    if (this.settled) return
    if (this.cancelRequested) {
      await this.settle('cancelled', null)
      return
    }
    const done = (await this.options.store.runs.get(this.runId))?.epochsDone ?? 0
    const checkpoint = await this.options.store.modelFiles.get(this.runId, 'checkpoint')
    await this.settle(
      'failed',
      `The trainer process ${exit.reason} before the run finished; ${done} completed epoch${done === 1 ? ' was' : 's were'} kept.` +
        (checkpoint ? ` Resume it to continue after epoch ${checkpoint.epoch}.` : '')
    )
  }

  private async settle(status: RunStatus, error: string | null): Promise<void> {
    if (this.settled) return
    this.settled = true
    try {
      await this.options.store.runs.finish(this.runId, {
        status,
        errorMessage: error ?? undefined,
        finishedAt: new Date().toISOString()
      })
      await this.emitUpdated()
    } catch (storeError) {
      console.error(`run ${this.runId}: could not store its final status:`, storeError)
    }
    this.options.emit('runs.phase', { runId: this.runId, phase: null })
    this.resolve({ status, error })
  }

  private async emitUpdated(): Promise<void> {
    const detail = await this.options.store.runs.get(this.runId)
    if (detail) this.options.emit('runs.updated', toSummary(detail))
  }
}
