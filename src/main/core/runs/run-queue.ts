/** Starts queued runs in order, at most `concurrency` at a time. */
import type { RunSession, SessionOutcome } from './run-session'

export interface RunQueueOptions {
  concurrency: number
  /**
   * Builds the session for a queued run; null when the run can no longer start (e.g. deleted).
   * `concurrent` is how many runs will train at once with this one, for sharing the cores.
   */
  createSession: (runId: number, slot: { concurrent: number }) => RunSession | null
}

export class RunQueue {
  private readonly waiting: number[] = []
  private readonly active = new Map<number, RunSession>()
  private concurrency: number
  private idleWaiters: Array<() => void> = []

  constructor(private readonly options: RunQueueOptions) {
    this.concurrency = options.concurrency
  }

  /** Adds a run at the end of the queue and starts it when a slot is free. */
  enqueue(runId: number): void {
    if (this.waiting.includes(runId) || this.active.has(runId)) return
    this.waiting.push(runId)
    this.pump()
  }

  /** Takes a run out of the queue before it started; false when it was not waiting. */
  remove(runId: number): boolean {
    const i = this.waiting.indexOf(runId)
    if (i < 0) return false
    this.waiting.splice(i, 1)
    this.notifyIfIdle()
    return true
  }

  session(runId: number): RunSession | undefined {
    return this.active.get(runId)
  }

  setConcurrency(concurrency: number): void {
    this.concurrency = concurrency
    this.pump()
  }

  running(): number[] {
    return [...this.active.keys()]
  }

  queued(): number[] {
    return [...this.waiting]
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.active.size === 0 && this.waiting.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Waits for one run's session to end; undefined when it is not running. */
  outcome(runId: number): Promise<SessionOutcome> | undefined {
    return this.active.get(runId)?.finished
  }

  private pump(): void {
    while (this.active.size < this.concurrency && this.waiting.length > 0) {
      const runId = this.waiting.shift() as number
      const concurrent = Math.min(this.concurrency, this.active.size + 1 + this.waiting.length)
      const session = this.options.createSession(runId, { concurrent })
      if (!session) continue
      this.active.set(runId, session)
      void session.finished.then(() => {
        this.active.delete(runId)
        this.pump()
        this.notifyIfIdle()
      })
      session.start()
    }
  }

  private notifyIfIdle(): void {
    if (this.active.size > 0 || this.waiting.length > 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    waiters.forEach((w) => w())
  }
}
