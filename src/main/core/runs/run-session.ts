/** Drives one run's trainer process and records what it reports; the database is written only here. */
import type { EventMap } from '@shared/api'
import type { Hparams } from '@shared/hparams'
import type { RunStatus } from '@shared/run'
import type { BackendChoice, DatasetLocation, TrainerEvent, TrainerResume } from '@shared/trainer-protocol'
import { isLostConnection, type RunStore, type StoreRepos } from '@main/core/store'
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
  /**
   * The run's lease in a team store, claimed by the caller: every write renews it in the same
   * transaction and is dropped when another worker took the run meanwhile; a timer renews it
   * between writes and carries cancel requests made from other machines. None for a local store.
   */
  lease?: SessionLease
}

/** Tries of one write when the database connection drops under it, and the first pause between them. */
const WRITE_ATTEMPTS = 4
const WRITE_RETRY_MS = 500

/** A claimed lease: who holds it, and how long each renewal lasts. */
export interface SessionLease {
  owner: string
  ms: number
}

/** The lease was lost (it expired and another worker took the run): nothing more may be written. */
export class LeaseLostError extends Error {
  constructor(runId: number, owner: string) {
    super(
      `${owner} no longer holds the lease of run ${runId}: another worker took the run over; this worker stopped it and wrote nothing more.`
    )
    this.name = 'LeaseLostError'
  }
}

/** Final state of a run session and, for failures, the reason. */
export interface SessionOutcome {
  status: RunStatus
  error: string | null
  /** The lease was lost: another worker owns the run now and `status` was not recorded. */
  leaseLost?: boolean
  /** {@link RunSession.abandon}: stopped without an end recorded, the lease released for the next worker. */
  handedBack?: boolean
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
  private renewTimer: NodeJS.Timeout | null = null
  private stopListening: (() => void) | null = null

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
    this.keepLease()
  }

  /**
   * Renews the lease a few times per lease period between the run's writes: a renewal that finds the
   * lease taken stops the trainer without writing; one that finds a cancel request cancels the run.
   */
  private keepLease(): void {
    const { lease, store } = this.options
    if (!lease) return
    const every = Math.max(250, Math.floor(lease.ms / 4))
    let renewing = false
    const renew = (): void => {
      if (this.settled || renewing) return
      renewing = true
      store.leases
        .renew(this.runId, lease.owner, lease.ms)
        .finally(() => (renewing = false))
        .then(
          ({ held, cancelRequested }) => {
            if (!held) this.later(() => this.lose())
            else if (cancelRequested && !this.cancelRequested) this.cancel()
          },
          // A failed renewal (the database unreachable for a moment) is retried at the next tick; the
          // lease outlives a few of them, and a write under a lost lease is refused anyway.
          (error: unknown) => console.warn(`run ${this.runId}: could not renew its lease: ${(error as Error).message}`)
        )
    }
    this.renewTimer = setInterval(renew, every)
    this.renewTimer.unref()
    // A team store announces changes to the run (a cancel asked included): look at once.
    this.stopListening = store.onRunChange?.((runId) => runId === this.runId && renew()) ?? null
  }

  /**
   * One of the run's writes, in a transaction that first renews the lease (when there is one) and
   * throws {@link LeaseLostError} instead of writing when another worker holds it.
   */
  private async write<T>(fn: (tx: StoreRepos) => Promise<T>): Promise<T> {
    const { lease, store } = this.options
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.transaction(async (tx) => {
          if (lease && !(await tx.leases.renew(this.runId, lease.owner, lease.ms)).held) throw new LeaseLostError(this.runId, lease.owner)
          return fn(tx)
        })
      } catch (error) {
        // A team store's connection dropped (the transaction rolled back): the next one reconnects.
        if (attempt >= WRITE_ATTEMPTS || !isLostConnection(error)) throw error
        await new Promise((resolve) => setTimeout(resolve, WRITE_RETRY_MS * attempt))
      }
    }
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

  /**
   * Stops the trainer at once and records no end: the run stays `running` with its epochs and
   * checkpoint, and its lease is released, so the next worker resumes it from the checkpoint.
   */
  abandon(): void {
    this.later(async () => {
      if (this.settled) return
      this.settled = true
      this.stopRenewing()
      this.host?.kill()
      const { lease, store } = this.options
      if (lease) await store.leases.release(this.runId, lease.owner).catch(() => undefined)
      this.end({ status: 'interrupted', error: 'handed back to the queue', handedBack: true })
    })
  }

  /** Queues a step after the ones before it (see {@link work}). */
  private later(step: () => Promise<void>): void {
    this.work = this.work.then(step).catch((error: unknown) => console.error(`run ${this.runId}:`, error))
  }

  private async handle(event: TrainerEvent): Promise<void> {
    if (this.settled || event.runId !== this.runId) return
    const { emit } = this.options
    try {
      switch (event.type) {
        case 'ready':
          await this.write((tx) =>
            tx.runs.markRunning(this.runId, {
              backendInfo: event.backend,
              datasetChecksum: event.datasetChecksum,
              startedAt: new Date().toISOString()
            })
          )
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
          const replaced = await this.write(async (tx) => {
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
            const replaced = await this.write(async (tx) => {
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
      if (error instanceof LeaseLostError) await this.lose()
      else await this.settle('failed', `could not record the run: ${(error as Error).message}`)
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
    this.stopRenewing()
    const { lease } = this.options
    try {
      await this.write(async (tx) => {
        await tx.runs.finish(this.runId, { status, errorMessage: error ?? undefined, finishedAt: new Date().toISOString() })
        // The run is over: nobody needs to hold it (its lease row goes in the same commit).
        if (lease) await tx.leases.release(this.runId, lease.owner)
      })
      await this.emitUpdated()
    } catch (storeError) {
      if (storeError instanceof LeaseLostError) {
        this.end({ status, error: storeError.message, leaseLost: true })
        return
      }
      console.error(`run ${this.runId}: could not store its final status:`, storeError)
    }
    this.end({ status, error })
  }

  /** The lease is gone: the trainer is stopped and nothing is written, the new holder owns the run. */
  private async lose(): Promise<void> {
    if (this.settled) return
    this.settled = true
    this.stopRenewing()
    this.host?.kill()
    const lease = this.options.lease!
    this.end({ status: 'interrupted', error: new LeaseLostError(this.runId, lease.owner).message, leaseLost: true })
  }

  private end(outcome: SessionOutcome): void {
    this.options.emit('runs.phase', { runId: this.runId, phase: null })
    this.resolve(outcome)
  }

  private stopRenewing(): void {
    if (this.renewTimer) clearInterval(this.renewTimer)
    this.renewTimer = null
    this.stopListening?.()
    this.stopListening = null
  }

  private async emitUpdated(): Promise<void> {
    const detail = await this.options.store.runs.get(this.runId)
    if (detail) this.options.emit('runs.updated', toSummary(detail))
  }
}
