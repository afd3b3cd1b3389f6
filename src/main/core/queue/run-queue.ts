/**
 * The queue of runs waiting for a worker, kept by pg-boss in the team store's PostgreSQL database
 * (its own schema, `atelier_queue`). pg-boss is used for what it does well: claiming a job exactly
 * once across machines (SKIP LOCKED), heartbeats that give a dead worker's job to another worker,
 * cancelling an active job through an AbortSignal, and a registry of live workers. The run row
 * remains the record of a run; a job only says "train run N".
 */
import { hostname } from 'node:os'
import { PgBoss, type Job } from 'pg-boss'
import { connectError, poolConfig } from '@main/core/store/postgres-connection'
import type { PostgresLocation } from '@main/core/store/store-location'

/** The one queue Atelier uses. */
export const RUN_QUEUE = 'atelier-runs'
/** pg-boss keeps its tables apart from the run store's. */
export const QUEUE_SCHEMA = 'atelier_queue'

/** How many times the queue offers a run before it gives up on it (the first try and pg-boss's retries). */
export const RUN_ATTEMPTS = 21

/** What a queued job carries: which run to train. */
export interface RunJobData {
  runId: number
}

/** Timing of the queue; the defaults suit training, tests shorten them. */
export interface RunQueueTiming {
  /** A worker that misses heartbeats this long has its run handed to another worker (pg-boss minimum: 10). */
  heartbeatSeconds: number
  /** How often a working worker refreshes its heartbeat, and so how soon a cancel reaches it. */
  heartbeatRefreshSeconds: number
  /** How often pg-boss looks for jobs whose heartbeat stopped (its supervisor). */
  superviseSeconds: number
  /** How often an idle worker looks for new runs. */
  pollingSeconds: number
}

export const DEFAULT_TIMING: RunQueueTiming = {
  heartbeatSeconds: 30,
  heartbeatRefreshSeconds: 2,
  superviseSeconds: 15,
  pollingSeconds: 2
}

/**
 * Timing that matches a worker's run lease of `leaseMs`: a dead worker's job goes back to the queue
 * about when its lease expires (pg-boss allows no heartbeat under 10 s), and is noticed within a
 * third of that.
 */
export function timingForLease(leaseMs: number): RunQueueTiming {
  const seconds = Math.max(10, Math.round(leaseMs / 1000))
  return {
    heartbeatSeconds: seconds,
    heartbeatRefreshSeconds: Math.min(DEFAULT_TIMING.heartbeatRefreshSeconds, seconds / 5),
    superviseSeconds: Math.min(DEFAULT_TIMING.superviseSeconds, Math.max(1, Math.round(seconds / 3))),
    pollingSeconds: DEFAULT_TIMING.pollingSeconds
  }
}

/** A run handed to this worker. `signal` aborts when the run is cancelled or this worker lost it. */
export interface ClaimedRun {
  runId: number
  jobId: string
  /** 0 for the first attempt; more after a worker died or failed while training it. */
  attempt: number
  signal: AbortSignal
}

/** A worker as the registry saw it at its last heartbeat. */
export interface QueueWorker {
  name: string
  host: string
  pid: number
  cores: number | null
  /** Runs it is training now. */
  active: number
  lastHeartbeat: string
  live: boolean
}

export interface RunQueue {
  /** Queues `runId` for a worker; queueing a run already queued or being trained adds nothing. Returns the job id, or null if it was already there. */
  enqueue(runId: number): Promise<string | null>
  /** Cancels `runId`'s job, queued or active (an active worker's signal aborts at its next heartbeat). Returns whether there was one. */
  cancel(runId: number): Promise<boolean>
  /** Starts taking runs: up to `concurrency` at once; `train` resolves when the run is done (or stopped). */
  work(options: { concurrency: number; train: (run: ClaimedRun) => Promise<void> }): Promise<void>
  /** Workers registered in this database, newest heartbeat first. */
  workers(): Promise<QueueWorker[]>
  /** How many runs wait for a worker. */
  queued(): Promise<number>
  /** Stops taking runs; `graceful` lets runs in hand finish first (up to `timeoutMs`). */
  stop(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>
}

/** Opens the run queue in the store at `location`, creating pg-boss's schema and the queue on first use. */
export async function openRunQueue(
  location: PostgresLocation,
  options: { name?: string; timing?: Partial<RunQueueTiming>; onError?: (error: Error) => void } = {}
): Promise<RunQueue> {
  const timing = { ...DEFAULT_TIMING, ...options.timing }
  const { connectionString: _unused, ...connection } = poolConfig(location) as Record<string, unknown>
  const boss = new PgBoss({
    ...connection,
    schema: QUEUE_SCHEMA,
    instanceName: processName(options.name),
    instanceHeartbeatSeconds: Math.max(1, timing.heartbeatRefreshSeconds),
    superviseIntervalSeconds: timing.superviseSeconds,
    monitorIntervalSeconds: timing.superviseSeconds,
    schedule: false
  } as ConstructorParameters<typeof PgBoss>[0])
  // pg-boss reports background failures (a lost connection while polling) as events; they are
  // retried by its next poll, so they are kept out of the way rather than crashing the process.
  // The same message is said once until another one comes (a database down for a minute is one line).
  let lastError = ''
  boss.on('error', (error: Error) => {
    if (error.message === lastError) return
    lastError = error.message
    ;(options.onError ?? ((e: Error) => console.warn(`run queue: ${e.message}`)))(error)
  })
  try {
    await boss.start()
    await ensureQueue(boss, timing)
  } catch (error) {
    await boss.stop({ graceful: false, close: true }).catch(() => undefined)
    throw connectError(location, error)
  }

  const jobOf = async (runId: number): Promise<string | null> => {
    const jobs = await boss.findJobs<RunJobData>(RUN_QUEUE, { key: runKey(runId), queued: false })
    const open = jobs.find((j) => j.state === 'created' || j.state === 'retry' || j.state === 'active')
    return open?.id ?? null
  }

  return {
    async enqueue(runId) {
      return boss.send(RUN_QUEUE, { runId } satisfies RunJobData, { singletonKey: runKey(runId) })
    },
    async cancel(runId) {
      const id = await jobOf(runId)
      if (!id) return false
      await boss.cancel(RUN_QUEUE, id)
      return true
    },
    async work({ concurrency, train }) {
      await boss.work<RunJobData>(
        RUN_QUEUE,
        {
          localConcurrency: concurrency,
          batchSize: 1,
          pollingIntervalSeconds: timing.pollingSeconds,
          heartbeatRefreshSeconds: timing.heartbeatRefreshSeconds
        },
        async ([job]: Job<RunJobData>[]) => {
          await train({ runId: job!.data.runId, jobId: job!.id, attempt: job!.retryCount, signal: job!.signal })
        }
      )
    },
    async workers() {
      const instances = await boss.getInstances()
      return (
        instances
          // Processes that take runs: an app or CLI that only queues them registers too, with no worker.
          .filter((i) => i.stoppedOn === null && i.workers.length > 0)
          .map((i) => ({
            name: i.name ?? `${i.host}:${i.pid}`,
            host: i.host,
            pid: i.pid,
            cores: i.metrics?.cpuLimit ?? null,
            active: i.workers.reduce((n, w) => n + w.active, 0),
            lastHeartbeat: i.heartbeatOn.toISOString(),
            live: i.live
          }))
          .sort((a, b) => b.lastHeartbeat.localeCompare(a.lastHeartbeat))
      )
    },
    async queued() {
      const queue = await boss.getQueue(RUN_QUEUE)
      return queue?.queuedCount ?? 0
    },
    async stop({ graceful = true, timeoutMs = 30_000 } = {}) {
      await boss.stop({ graceful, timeout: timeoutMs, close: true })
    }
  }
}

/**
 * This process's name in the queue and on the leases it holds: `NAME@host:pid`, or `host:pid`.
 * Unique while the process lives even when two workers are given one name: pg-boss keys its worker
 * registry by it (a second process of the same name stopping would hand back the first one's runs),
 * and a lease must tell two processes apart.
 */
export function processName(name?: string): string {
  const here = `${hostname()}:${process.pid}`
  return name ? `${name}@${here}` : here
}

/** One job per run: the singleton key pg-boss deduplicates on. */
function runKey(runId: number): string {
  return `run-${runId}`
}

async function ensureQueue(boss: PgBoss, timing: RunQueueTiming): Promise<void> {
  if (await boss.getQueue(RUN_QUEUE)) return
  await boss
    .createQueue(RUN_QUEUE, {
      // One job per run, queued or active: a second `train --queue` of the same run adds nothing.
      policy: 'exclusive',
      heartbeatSeconds: timing.heartbeatSeconds,
      // The heartbeat, not a deadline, says whether a worker still lives; pg-boss caps a job at 24 h,
      // after which the worker's signal aborts, it stops at its checkpoint and the next attempt resumes there.
      expireInSeconds: 24 * 3600,
      // A worker that dies (or whose machine does) hands the run on; one that fails it cleanly does not retry.
      retryLimit: RUN_ATTEMPTS - 1,
      retryDelay: 0,
      notify: true
    })
    .catch(async (error: unknown) => {
      // Two machines creating the queue at the same moment: the loser finds it there.
      if (!(await boss.getQueue(RUN_QUEUE))) throw error
    })
}
