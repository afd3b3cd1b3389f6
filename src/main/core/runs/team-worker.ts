/**
 * A worker of a team store: takes runs from the store's queue (pg-boss), trains each under a lease
 * (run-service `trainLeased`) and writes everything to the shared store. Any number of workers on
 * any number of machines may serve one store; the queue hands each run to one of them at a time, the
 * lease keeps a stalled one from writing after its run moved on, and a worker that stops or dies
 * hands its runs back to be resumed from their checkpoints.
 */
import { errorMessage } from '@shared/error-text'
import { RUN_ATTEMPTS, type RunQueue as TeamQueue } from '@main/core/queue/run-queue'
import type { RunService } from './run-service'
import { RunHandedBack } from './team-runs'
import { threadShare } from './thread-share'

export interface TeamWorkerOptions {
  runs: RunService
  queue: TeamQueue
  /** The lease owner's name: unique among the store's live workers (see processName in core/queue/run-queue.ts). */
  name: string
  /** Runs trained at once. */
  concurrency: number
  /** Cores shared among them. */
  cores: number
  /** How long a lease lasts without renewal (default 30 s): how soon another worker resumes this one's run after it died. */
  leaseMs?: number
  /** One line per event, for the terminal. */
  log: (line: string) => void
}

export interface TeamWorker {
  /** Its name in the queue and on its leases (NAME@host:pid). */
  readonly name: string
  /** Runs in hand now. */
  active(): number[]
  /**
   * Stops taking runs; the runs in hand are handed back at once (each resumes on another worker
   * from its last checkpoint) and their trainers stopped. Resolves when all of that is done.
   */
  stop(): Promise<void>
}

export const DEFAULT_LEASE_MS = 30_000

export async function startTeamWorker(options: TeamWorkerOptions): Promise<TeamWorker> {
  const { runs, queue, name, concurrency, log } = options
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS
  const stopping = new AbortController()
  const active = new Set<number>()
  await queue.work({
    concurrency,
    train: async ({ runId, attempt, signal }) => {
      active.add(runId)
      log(`run ${runId}: taken${attempt > 0 ? ` (attempt ${attempt + 1}: the previous one stopped)` : ''}`)
      try {
        const result = await runs.trainLeased(runId, {
          owner: name,
          leaseMs,
          threads: threadShare(concurrency, options.cores),
          signal: AbortSignal.any([signal, stopping.signal])
        })
        if (result.kind === 'skipped') log(`run ${runId}: skipped, ${result.reason}`)
        else if (result.outcome.leaseLost) log(`run ${runId}: another worker took it over; stopped without writing`)
        else log(`run ${runId}: ${result.outcome.status}${result.outcome.error ? ` (${result.outcome.error})` : ''}`)
      } catch (error) {
        if (error instanceof RunHandedBack) {
          log(`run ${runId}: handed back to the queue`)
          throw error
        }
        log(`run ${runId}: refused, ${errorMessage(error)}`)
        // The queue's last offer: no worker took it, so the run ends failed with the reason instead of waiting queued for nothing.
        if (attempt + 1 >= RUN_ATTEMPTS && (await runs.failUntaken(runId, errorMessage(error)))) {
          log(`run ${runId}: failed, no worker could take it in ${RUN_ATTEMPTS} offers`)
          return
        }
        // The queue gives the run to another worker (or this one later).
        throw error
      } finally {
        active.delete(runId)
      }
    }
  })
  let stopped: Promise<void> | null = null
  return {
    name,
    active: () => [...active],
    stop() {
      stopped ??= (async () => {
        // No new runs first, then the ones in hand are handed back; pg-boss waits for their handlers.
        const draining = queue.stop({ graceful: true, timeoutMs: 30_000 })
        stopping.abort()
        await draining
      })()
      return stopped
    }
  }
}
