/**
 * Runs of a team store trained by workers: queueing a run for them, a worker training one under its
 * lease (taking over a run whose worker died), what the workers are doing, and giving up on a run
 * no worker can take. The local queue and everything else of a run stay in run-service.ts.
 */
import type { EventMap } from '@shared/api'
import type { Hparams } from '@shared/hparams'
import type { RunSummary } from '@shared/run'
import type { TeamStatus, TeamWorkerInfo } from '@shared/team'
import { errorMessage } from '@shared/error-text'
import type { RunStore } from '@main/core/store'
import type { ModelStore } from '@main/core/models/model-store'
import type { RunQueue as TeamQueue } from '@main/core/queue/run-queue'
import { conflict } from '@main/core/errors'
import type { RunSession, SessionLease, SessionOutcome } from './run-session'
import type { DatasetLocation } from '@shared/trainer-protocol'

const NO_TEAM_QUEUE =
  "Queueing runs for workers needs a team store: open a PostgreSQL store (--db postgres://…) that workers on every machine share. A SQLite file is one machine's."

/** What became of a run a worker took from the team queue. */
export type LeasedRunResult =
  | { kind: 'trained'; outcome: SessionOutcome }
  /** Nothing to train: the run was deleted, cancelled or finished meanwhile, or its dataset is missing here (then it failed, saying why). */
  | { kind: 'skipped'; reason: string }

/** How a worker trains one run under its lease. */
export interface LeasedRunOptions {
  /** The worker's name, written as the lease's owner. */
  owner: string
  /** How long each renewal of the lease lasts; another worker may take the run this long after this one stopped renewing. */
  leaseMs: number
  /** WASM threads for the trainer. */
  threads: number
  /** Aborts when the queue took the job back (this worker is stopping, or lost the job): the run is handed back, not ended. */
  signal: AbortSignal
}

/** A run this worker stopped without ending it (it is stopping, or the queue took the job back): the next worker resumes it from its checkpoint. */
export class RunHandedBack extends Error {
  constructor(readonly runId: number) {
    super(`Run ${runId} was handed back to the queue; the next worker resumes it from its last checkpoint.`)
    this.name = 'RunHandedBack'
  }
}

export interface TeamRunsDeps {
  store: RunStore
  models: ModelStore
  appVersion: string
  /** The team queue of a PostgreSQL store; absent for SQLite. */
  teamQueue?: () => Promise<TeamQueue>
  /** Where the run's dataset is on this machine (throws saying why when it cannot be used here). */
  dataset: (name: string) => Promise<{ location: DatasetLocation }>
  /** Builds the session that trains a queued run, under a lease. */
  buildSession: (runId: number, slot: { threads: number; lease?: SessionLease }) => Promise<RunSession | null>
  /** Checks hyperparameters against their dataset, records the run as queued and announces it. */
  record: (hparams: Hparams, name?: string) => Promise<RunSummary>
  emit: <E extends keyof EventMap>(event: E, payload: EventMap[E]) => void
}

export function createTeamRuns({ store, models, appVersion, dataset, buildSession, record, emit, ...deps }: TeamRunsDeps) {
  /** Takes the run's lease, waiting out a previous holder's lease (it may have died just now) once. */
  const claimLease = async (runId: number, owner: string, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms + 5000
    while (!(await store.leases.claim(runId, owner, ms))) {
      const held = await store.leases.get(runId)
      const wait = Math.min(Math.max(held?.remainingMs ?? 0, 0) + 100, deadline - Date.now())
      if (wait <= 0) return false
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
    return true
  }

  /**
   * A run whose last holder stopped renewing its lease mid-run (its worker died or was cut off): it
   * goes back to queued to continue after its last checkpoint, later epochs (none are recorded
   * without their checkpoint) dropped, with a resume point saying so; from scratch when it had none.
   */
  const takeOver = async (runId: number, owner: string): Promise<void> => {
    const checkpoint = await store.modelFiles.get(runId, 'checkpoint')
    await models.sweep(runId)
    await store.transaction(async (tx) => {
      if (!(await tx.leases.renew(runId, owner, 60_000)).held) throw conflict(`Run ${runId} was taken by another worker.`)
      await tx.runs.finish(runId, {
        status: 'interrupted',
        errorMessage: 'The worker training it stopped answering.',
        finishedAt: new Date().toISOString()
      })
      await tx.resumePoints.reopen(runId, { kind: 'resumed', afterEpoch: checkpoint?.epoch ?? 0 })
    })
  }

  /**
   * Trains one run a worker took from the team queue, holding the run's lease throughout (see
   * leases-repo.ts): a run another worker left mid-run is resumed from its checkpoint; a run made by
   * another version of Atelier is refused (its results would not be comparable). Throws
   * {@link RunHandedBack} when `signal` aborts, so that the queue hands the run to the next worker.
   */
  const trainLeased = async (runId: number, { owner, leaseMs, threads, signal }: LeasedRunOptions): Promise<LeasedRunResult> => {
    if (!(await claimLease(runId, owner, leaseMs))) {
      throw conflict(`Run ${runId} is held by ${(await store.leases.get(runId))?.owner ?? 'another worker'}, which still renews its lease.`)
    }
    let session: RunSession | null = null
    try {
      const run = await store.runs.get(runId)
      if (!run) return { kind: 'skipped', reason: `run ${runId} was deleted` }
      if (run.appVersion !== appVersion) {
        throw conflict(
          `Run ${runId} was made by Atelier ${run.appVersion} and this worker is ${appVersion}: it is left to a worker of that version (update this worker, or re-run the run here).`
        )
      }
      if (run.status !== 'running' && run.status !== 'queued') return { kind: 'skipped', reason: `run ${runId} is ${run.status}` }
      // A worker without the run's data, or with other data under its name, leaves it to another worker.
      const here = await dataset(run.hparams.dataset).catch((error: unknown) => {
        throw conflict(`Run ${runId} needs dataset ${run.hparams.dataset}, which this worker cannot use: ${errorMessage(error)}`)
      })
      const hash = here.location.ref.contentHash
      if (run.datasetChecksum && hash && run.datasetChecksum !== hash) {
        throw conflict(
          `Run ${runId} was trained on dataset ${run.hparams.dataset} with content hash ${run.datasetChecksum.slice(0, 12)}…, and this worker's copy hashes to ${hash.slice(0, 12)}…: it is left to a worker with the same data.`
        )
      }
      if (run.status === 'running') await takeOver(runId, owner)
      session = await buildSession(runId, { threads, lease: { owner, ms: leaseMs } })
      if (!session) return { kind: 'skipped', reason: `run ${runId} could not start here (see its error)` }
      const started = session
      const handBack = (): void => started.abandon()
      if (signal.aborted) handBack()
      else signal.addEventListener('abort', handBack, { once: true })
      started.start()
      const outcome = await started.finished
      signal.removeEventListener('abort', handBack)
      if (outcome.handedBack) throw new RunHandedBack(runId)
      // Its end could not be recorded (the database stayed out of reach): the run is still `running`,
      // so it goes back to the queue, lease released, and the next worker continues it from its checkpoint.
      const recorded = await store.runs.get(runId).then(
        (run) => run?.status !== 'running',
        () => false
      )
      if (!outcome.leaseLost && !recorded) {
        await store.leases.release(runId, owner).catch(() => undefined)
        throw new RunHandedBack(runId)
      }
      return { kind: 'trained', outcome }
    } finally {
      // A session releases the lease when it ends; without one, nobody trains the run here.
      if (!session) await store.leases.release(runId, owner)
    }
  }

  /** The team queue, or a clear error for a store that has none. */
  const team = async (): Promise<TeamQueue> => {
    if (!deps.teamQueue) {
      throw conflict(NO_TEAM_QUEUE)
    }
    return deps.teamQueue()
  }

  return {
    trainLeased,
    /** The team queue (PostgreSQL stores only; a clear error otherwise). */
    team,
    /** Ends a queued run no worker could take, with the last worker's reason; false when it is no longer queued. */
    failUntaken: async (id: number, reason: string): Promise<boolean> => {
      if ((await store.runs.get(id))?.status !== 'queued') return false
      const failed = await store.runs.finish(id, {
        status: 'failed',
        errorMessage: `No worker could take this run: ${reason} Fix that, then re-run it.`,
        finishedAt: new Date().toISOString()
      })
      emit('runs.updated', failed)
      return true
    },
    /** The team store's workers with the runs they hold, and how many runs wait; `local` for a SQLite store. */
    teamStatus: async (): Promise<TeamStatus> => {
      if (!deps.teamQueue) return { kind: 'local', reason: NO_TEAM_QUEUE }
      const teamQueue = await deps.teamQueue()
      const [instances, leases, queued] = await Promise.all([teamQueue.workers(), store.leases.list(), teamQueue.queued()])
      const workers: TeamWorkerInfo[] = []
      for (const w of instances) {
        const runIds = leases.filter((l) => l.owner === w.name && l.remainingMs > 0).map((l) => l.runId)
        const current = runIds.length ? await store.runs.get(runIds[0]!) : null
        const { active: _active, ...worker } = w
        workers.push({ ...worker, runIds, backend: current?.backend ?? null })
      }
      return { kind: 'team', workers, queued }
    },
    /**
     * Records a run as queued and puts it in the team queue, for any worker to train; checked like
     * `start`. Nothing is recorded when there is no team queue.
     */
    submit: async (hparams: Hparams, name?: string): Promise<RunSummary> => {
      const teamQueue = await team()
      const run = await record(hparams, name)
      await teamQueue.enqueue(run.id)
      return run
    }
  }
}
