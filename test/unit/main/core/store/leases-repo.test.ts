/** Run leases: one holder at a time, expiry by the database's clock, fencing inside a transaction, cancel requests. */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { RunStore } from '@main/core/store'
import { WASM_BACKEND, epochRecord } from './fixtures/sample-run'
import { describeStore, freshLocation, openTestStore } from './fixtures/test-store'

let location: string
let a: RunStore
let b: RunStore
let runId: number

beforeEach(async () => {
  // Two connections to one store: two workers (machines) sharing the database.
  location = await freshLocation()
  a = await openTestStore(location)
  b = await openTestStore(location)
  runId = (await a.runs.insert({ name: 'r', hparams: defaultHparams('dense'), appVersion: 't' })).id
})
afterEach(async () => {
  await a.close()
  await b.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describeStore('run leases', () => {
  it('is held by one owner until it expires, then another may take it', async () => {
    expect(await a.leases.claim(runId, 'worker-a', 60_000)).toBe(true)
    expect(await b.leases.claim(runId, 'worker-b', 60_000)).toBe(false)
    // Claiming again is renewing for the holder.
    const claimedAt = performance.now()
    expect(await a.leases.claim(runId, 'worker-a', 60_000)).toBe(true)
    const lease = await b.leases.get(runId)
    const elapsed = performance.now() - claimedAt
    expect(lease).toMatchObject({ runId, owner: 'worker-a', cancelRequested: false })
    // Taken for 60 s: what remains is 60 s less the time these two calls took (measured, so a busy
    // machine cannot fail it), give or take the database clock's millisecond rounding.
    expect(lease!.remainingMs).toBeGreaterThanOrEqual(60_000 - elapsed - 5)
    expect(lease!.remainingMs).toBeLessThanOrEqual(60_000)

    expect(await a.leases.claim(runId, 'worker-a', 50)).toBe(true)
    await sleep(120)
    expect((await b.leases.get(runId))!.remainingMs).toBeLessThan(0)
    expect(await b.leases.claim(runId, 'worker-b', 60_000)).toBe(true)
    // The first holder's next write finds the lease gone: it must not write.
    expect(await a.leases.renew(runId, 'worker-a', 60_000)).toEqual({ held: false, cancelRequested: false })
    expect(await b.leases.renew(runId, 'worker-b', 60_000)).toEqual({ held: true, cancelRequested: false })
  })

  it('lets exactly one of many racing claims win', async () => {
    const owners = Array.from({ length: 8 }, (_, i) => `worker-${i}`)
    const won = await Promise.all(owners.map((o, i) => (i % 2 ? b : a).leases.claim(runId, o, 60_000)))
    expect(won.filter(Boolean)).toHaveLength(1)
    expect((await a.leases.get(runId))!.owner).toBe(owners[won.indexOf(true)])
  })

  it('fences writes: a renewal inside a transaction fails the writes once the lease was taken', async () => {
    expect(await a.leases.claim(runId, 'worker-a', 50)).toBe(true)
    await a.runs.markRunning(runId, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: 'x' })
    await sleep(120)
    expect(await b.leases.claim(runId, 'worker-b', 60_000)).toBe(true)
    // worker-a wakes up and tries to record its epoch under its (lost) lease.
    const write = a.transaction(async (tx) => {
      if (!(await tx.leases.renew(runId, 'worker-a', 60_000)).held) throw new Error('lease lost')
      await tx.epochs.append(runId, epochRecord(1))
    })
    await expect(write).rejects.toThrow('lease lost')
    expect(await b.epochs.list(runId)).toEqual([])
  })

  it('carries a cancel request to the holder, and to the next holder if the first one died', async () => {
    expect(await b.leases.requestCancel(runId)).toBe(false)
    expect(await a.leases.claim(runId, 'worker-a', 50)).toBe(true)
    expect(await b.leases.requestCancel(runId)).toBe(true)
    expect(await a.leases.renew(runId, 'worker-a', 50)).toEqual({ held: true, cancelRequested: true })
    await sleep(120)
    expect(await b.leases.claim(runId, 'worker-b', 60_000)).toBe(true)
    expect((await b.leases.get(runId))!.cancelRequested).toBe(true)
  })

  it('is released by its holder only, and goes with its run', async () => {
    expect(await a.leases.claim(runId, 'worker-a', 60_000)).toBe(true)
    await b.leases.release(runId, 'worker-b')
    expect((await a.leases.get(runId))!.owner).toBe('worker-a')
    await a.leases.release(runId, 'worker-a')
    expect(await a.leases.get(runId)).toBeNull()
    expect(await b.leases.claim(runId, 'worker-b', 60_000)).toBe(true)
    expect(await a.leases.list()).toHaveLength(1)
    await a.runs.delete([runId])
    expect(await a.leases.list()).toEqual([])
  })
})
