import { describe, expect, it } from 'vitest'
import { threadShare } from '@main/core/runs/thread-share'
import { RunQueue } from '@main/core/runs/run-queue'
import type { RunSession, SessionOutcome } from '@main/core/runs/run-session'

describe('threadShare', () => {
  it('gives a lone run every core, with no cap', () => {
    expect(threadShare(1, 16)).toBe(16)
    expect(threadShare(1, 2)).toBe(2)
  })

  it('splits the cores evenly among concurrent runs, at least one thread each', () => {
    expect(threadShare(2, 16)).toBe(8)
    expect(threadShare(3, 16)).toBe(5)
    expect(threadShare(4, 2)).toBe(1)
  })
})

describe('RunQueue', () => {
  /** A session that records its start and finishes when the test says so. */
  function fakeSession(runId: number): RunSession & { finish(): void } {
    let resolve!: (o: SessionOutcome) => void
    const finished = new Promise<SessionOutcome>((r) => (resolve = r))
    return {
      runId,
      finished,
      start: () => undefined,
      finish: () => resolve({ status: 'completed', error: null })
    } as unknown as RunSession & { finish(): void }
  }

  it('tells each new session how many runs train at once, so the cores are shared fairly', async () => {
    const slots: Array<[number, number]> = []
    const sessions = new Map<number, ReturnType<typeof fakeSession>>()
    const queue = new RunQueue({
      concurrency: 2,
      createSession: async (runId, { concurrent }) => {
        slots.push([runId, concurrent])
        const session = fakeSession(runId)
        sessions.set(runId, session)
        return session
      }
    })
    void queue.enqueue(1) // alone: all cores
    void queue.enqueue(2) // the second slot: both now share
    void queue.enqueue(3) // waits
    expect(slots).toEqual([
      [1, 1],
      [2, 2]
    ])
    sessions.get(1)!.finish()
    await new Promise((r) => setTimeout(r, 0))
    expect(slots.at(-1)).toEqual([3, 2])
  })
})
