/** The queue while a run's session is being built (its record is read from the store first). */
import { describe, expect, it } from 'vitest'
import { RunQueue } from '@main/core/runs/run-queue'
import type { RunSession, SessionOutcome } from '@main/core/runs/run-session'

/** A session that records its start and finishes when the test says so. */
function fakeSession(runId: number, started: number[]): RunSession & { finish(): void } {
  let resolve!: (o: SessionOutcome) => void
  const finished = new Promise<SessionOutcome>((r) => (resolve = r))
  return {
    runId,
    finished,
    start: () => void started.push(runId),
    finish: () => resolve({ status: 'completed', error: null })
  } as unknown as RunSession & { finish(): void }
}

/** A queue whose sessions are built only when the test releases them. */
function slowQueue() {
  const started: number[] = []
  const sessions = new Map<number, ReturnType<typeof fakeSession>>()
  const pending: Array<() => void> = []
  const queue = new RunQueue({
    concurrency: 1,
    createSession: (runId) =>
      new Promise((resolve) => {
        pending.push(() => {
          const session = fakeSession(runId, started)
          sessions.set(runId, session)
          resolve(session)
        })
      })
  })
  const release = async () => {
    pending.shift()?.()
    await new Promise((r) => setTimeout(r, 0))
  }
  return { queue, started, sessions, release }
}

describe('RunQueue while a session is being built', () => {
  it('counts the run as running, and enqueue resolves once its session started', async () => {
    const { queue, started, release } = slowQueue()
    let enqueued = false
    const enqueue = queue.enqueue(1).then(() => (enqueued = true))
    void queue.enqueue(2)
    expect(queue.running()).toEqual([1])
    expect(queue.queued()).toEqual([2])
    expect(queue.session(1)).toBeUndefined()
    expect(enqueued).toBe(false)
    await release()
    await enqueue
    expect(started).toEqual([1])
    expect(queue.session(1)).toBeDefined()
  })

  it('takes a run back when it is removed meanwhile: its session never starts and the next run gets the slot', async () => {
    const { queue, started, release } = slowQueue()
    void queue.enqueue(1)
    void queue.enqueue(2)
    expect(queue.remove(1)).toBe(true)
    expect(queue.running()).toEqual([])
    await release()
    expect(started).toEqual([])
    expect(queue.running()).toEqual([2])
    await release()
    expect(started).toEqual([2])
  })

  it("waits for a starting run's outcome, and for it in idle()", async () => {
    const { queue, sessions, release } = slowQueue()
    void queue.enqueue(1)
    const outcome = queue.outcome(1)
    expect(outcome).toBeDefined()
    let idle = false
    const idled = queue.idle().then(() => (idle = true))
    await release()
    expect(idle).toBe(false)
    sessions.get(1)!.finish()
    expect(await outcome).toEqual({ status: 'completed', error: null })
    await idled
    expect(queue.running()).toEqual([])
  })
})
