/** Starts queued runs in order, at most `concurrency` at a time. */
import type { RunSession, SessionOutcome } from './run-session'

export interface RunQueueOptions {
  concurrency: number
  /**
   * Builds the session for a queued run; null when the run can no longer start (e.g. deleted).
   * `concurrent` is how many runs will train at once with this one, for sharing the cores.
   */
  createSession: (runId: number, slot: { concurrent: number }) => Promise<RunSession | null>
}

export class RunQueue {
  private readonly waiting: number[] = []
  private readonly active = new Map<number, RunSession>()
  /**
   * Runs taken from the queue whose session is being built (their record is read first): they hold a
   * slot and count as running, though no trainer runs yet, so removing one takes it back like a queued run.
   */
  private readonly starting = new Map<number, Promise<RunSession | null>>()
  /** Starting runs taken out of the queue meanwhile: their session is dropped instead of started. */
  private readonly removedWhileStarting = new Set<number>()
  private concurrency: number
  private idleWaiters: Array<() => void> = []

  constructor(private readonly options: RunQueueOptions) {
    this.concurrency = options.concurrency
  }

  /**
   * Adds a run at the end of the queue and starts it when a slot is free. Resolves once a run that got
   * a slot at once has its session started (its trainer spawned), or at once when it waits.
   */
  enqueue(runId: number): Promise<void> {
    if (!this.waiting.includes(runId) && !this.active.has(runId) && !this.starting.has(runId)) {
      this.waiting.push(runId)
      this.pump()
    }
    return this.starting.get(runId)?.then(() => undefined) ?? Promise.resolve()
  }

  /** Takes a run out of the queue before it started; false when it was not waiting. */
  remove(runId: number): boolean {
    if (this.starting.has(runId)) {
      this.removedWhileStarting.add(runId)
      return true
    }
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

  /** Runs holding a slot: those training, and those whose session is being built. */
  running(): number[] {
    return [...this.starting.keys()].filter((id) => !this.removedWhileStarting.has(id)).concat([...this.active.keys()])
  }

  /** Runs not training yet: those whose session is being built, then those waiting, in order. */
  queued(): number[] {
    return [...this.waiting]
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Waits for one run's session to end; undefined when it is not running. */
  outcome(runId: number): Promise<SessionOutcome | undefined> | undefined {
    const starting = this.starting.get(runId)
    // A session still being built: its outcome once it runs (undefined when it never started).
    if (starting) return starting.then((session) => session?.finished)
    return this.active.get(runId)?.finished
  }

  private isIdle(): boolean {
    return this.active.size === 0 && this.waiting.length === 0 && this.starting.size === 0
  }

  private pump(): void {
    while (this.active.size + this.starting.size < this.concurrency && this.waiting.length > 0) {
      const runId = this.waiting.shift() as number
      const concurrent = Math.min(this.concurrency, this.active.size + this.starting.size + 1 + this.waiting.length)
      this.starting.set(runId, this.startSession(runId, concurrent))
    }
  }

  /** Builds and starts one run's session; the slot it held is freed again when it cannot start. */
  private async startSession(runId: number, concurrent: number): Promise<RunSession | null> {
    let session: RunSession | null = null
    try {
      session = await this.options.createSession(runId, { concurrent })
    } catch (error) {
      console.error(`run ${runId} could not start:`, error)
    }
    this.starting.delete(runId)
    const removed = this.removedWhileStarting.delete(runId)
    if (!session || removed) {
      this.pump()
      this.notifyIfIdle()
      return null
    }
    this.active.set(runId, session)
    void session.finished.then(() => {
      this.active.delete(runId)
      this.pump()
      this.notifyIfIdle()
    })
    session.start()
    return session
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    waiters.forEach((w) => w())
  }
}
