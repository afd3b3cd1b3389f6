import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openRunQueue, type RunQueue, type RunQueueTiming } from '@main/core/queue/run-queue'
import { parseStoreLocation, type PostgresLocation } from '@main/core/store/store-location'
import { freshDatabase, postgresMissing, postgresUrl } from './databases'

/** Short timings so a dead worker's run moves on within seconds (pg-boss allows no heartbeat under 10 s). */
const FAST: RunQueueTiming = { heartbeatSeconds: 10, heartbeatRefreshSeconds: 1, superviseSeconds: 1, pollingSeconds: 0.5 }

const waitFor = async (check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe.skipIf(!postgresUrl)(`run queue on pg-boss${postgresUrl ? '' : ` (skipped: ${postgresMissing})`}`, () => {
  let location: PostgresLocation
  let drop: () => Promise<void>
  const queues: RunQueue[] = []
  const children: ChildProcess[] = []

  beforeAll(async () => {
    const db = await freshDatabase()
    drop = db.drop
    location = parseStoreLocation(db.url) as PostgresLocation
  })
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL')
    await Promise.all(queues.splice(0).map((q) => q.stop({ graceful: false })))
  })
  afterAll(async () => drop?.())

  async function open(name: string): Promise<RunQueue> {
    const queue = await openRunQueue(location, { name, timing: FAST })
    queues.push(queue)
    return queue
  }

  it('keeps one job per run: queueing a queued run again adds nothing', async () => {
    const queue = await open('producer')
    const first = await queue.enqueue(101)
    expect(first).toEqual(expect.any(String))
    expect(await queue.enqueue(101)).toBeNull()
    expect(await queue.cancel(101)).toBe(true)
    expect(await queue.cancel(101)).toBe(false)
  })

  it('three workers take eight runs, each run exactly once, and the registry lists them', async () => {
    const producer = await open('producer')
    const runIds = [1, 2, 3, 4, 5, 6, 7, 8]
    for (const id of runIds) await producer.enqueue(id)
    const taken: Array<{ runId: number; worker: string }> = []
    for (const worker of ['w1', 'w2', 'w3']) {
      const queue = await open(worker)
      await queue.work({
        concurrency: 1,
        train: async (run) => {
          taken.push({ runId: run.runId, worker })
          await new Promise((r) => setTimeout(r, 200))
        }
      })
    }
    await waitFor(() => taken.length >= runIds.length, 30_000, 'eight runs taken')
    await new Promise((r) => setTimeout(r, 1500))
    expect(taken.map((t) => t.runId).sort((a, b) => a - b)).toEqual(runIds)
    expect(new Set(taken.map((t) => t.worker)).size).toBeGreaterThan(1)
    // Processes that take runs are listed as NAME@host:pid; the producer, which only queues, is not.
    const names = (await producer.workers()).map((w) => w.name.split('@')[0]).sort()
    expect(names).toEqual(['w1', 'w2', 'w3'])
  })

  it('a cancel reaches the worker training the run through its signal within seconds', async () => {
    const producer = await open('producer')
    const worker = await open('w-cancel')
    let started = 0
    let abortedAt = 0
    await worker.work({
      concurrency: 1,
      train: (run) =>
        new Promise<void>((resolve) => {
          started = Date.now()
          run.signal.addEventListener('abort', () => {
            abortedAt = Date.now()
            resolve()
          })
        })
    })
    await producer.enqueue(201)
    await waitFor(() => started > 0, 15_000, 'the run to start')
    const cancelledAt = Date.now()
    expect(await producer.cancel(201)).toBe(true)
    await waitFor(() => abortedAt > 0, 30_000, 'the abort')
    // It comes with the next heartbeat refresh (1 s here). The bound is the heartbeat's expiry, which a
    // cancel that waited for the run to be handed on would pass: a wide, meaningful margin, not a speed figure.
    expect(abortedAt - cancelledAt).toBeLessThan(FAST.heartbeatSeconds * 1000)
  })

  it("hands a killed worker's run to another worker once its heartbeat stops", async () => {
    const producer = await open('producer')
    const child = fork(join(import.meta.dirname, 'fixtures', 'queue-worker.ts'), [location.url, 'doomed'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    children.push(child)
    const started = new Promise<{ runId: number; attempt: number }>((resolve) =>
      child.on('message', (m: { type: string; runId: number; attempt: number }) => m.type === 'started' && resolve(m))
    )
    await producer.enqueue(301)
    const first = await started
    expect(first).toEqual({ type: 'started', runId: 301, attempt: 0 })
    child.kill('SIGKILL')

    const survivor = await open('survivor')
    const attempts: number[] = []
    await survivor.work({ concurrency: 1, train: async (run) => void attempts.push(run.attempt) })
    await waitFor(() => attempts.length > 0, 45_000, 'the run to move to the survivor')
    expect(attempts).toEqual([1])
  })
})
