/**
 * The SQLite store behind the asynchronous API: one lock for every call, transactions that hold it
 * from BEGIN to COMMIT or ROLLBACK, and what the store watcher reads (data_version, versions, owners).
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { DbError, openRunStore, type RunStore } from '@main/core/store'
import { sqliteHandleForTests } from '@main/core/store/sqlite-handle'
import { WASM_BACKEND, epochRecord, makeTempDir } from './fixtures/sample-run'

const hparams = { ...defaultHparams('dense'), epochs: 3 }
let temp: ReturnType<typeof makeTempDir>
let store: RunStore
beforeEach(async () => {
  temp = makeTempDir()
  store = await openRunStore(join(temp.dir, 'atelier.db'))
})
afterEach(async () => {
  await store.close()
  temp.remove()
})

describe('SQLite run store', () => {
  it('says where it is and on which engine', () => {
    expect(store.engine).toBe('sqlite')
    expect(store.location).toBe(join(temp.dir, 'atelier.db'))
    expect(sqliteHandleForTests(store).name).toBe(join(temp.dir, 'atelier.db'))
  })

  it('commits a transaction when its callback resolves, with what it returned', async () => {
    const id = await store.transaction(async (tx) => {
      const run = await tx.runs.insert({ name: 'a', hparams, appVersion: 't' })
      await tx.runs.markRunning(run.id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: '2026-01-01T00:00:00.000Z' })
      await tx.epochs.append(run.id, epochRecord(1))
      return run.id
    })
    expect(await store.runs.get(id)).toMatchObject({ status: 'running', epochsDone: 1 })
  })

  it('rolls back everything of a transaction whose callback throws, and passes the error on', async () => {
    const run = await store.runs.insert({ name: 'a', hparams, appVersion: 't' })
    const failure = store.transaction(async (tx) => {
      await tx.runs.update(run.id, { notes: 'half-written' })
      await tx.runs.finish(run.id, { status: 'running', finishedAt: 'x' })
    })
    await expect(failure).rejects.toBeInstanceOf(DbError)
    expect((await store.runs.get(run.id))?.notes).toBe('')
    expect(sqliteHandleForTests(store).inTransaction).toBe(false)
  })

  it('makes calls from outside a transaction wait until it ends', async () => {
    const run = await store.runs.insert({ name: 'a', hparams, appVersion: 't' })
    const order: string[] = []
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const transaction = store.transaction(async (tx) => {
      await tx.runs.update(run.id, { notes: 'inside' })
      order.push('updated')
      await held
      order.push('committing')
    })
    const outside = store.runs.get(run.id).then((detail) => {
      order.push('read')
      return detail
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(order).toEqual(['updated'])
    release()
    await transaction
    expect((await outside)?.notes).toBe('inside')
    expect(order).toEqual(['updated', 'committing', 'read'])
  })

  it('refuses a call on the store itself from inside a transaction instead of waiting forever', async () => {
    const refused = store.transaction(async () => {
      await store.runs.list()
    })
    await expect(refused).rejects.toThrow(/must go through its repositories \(tx\)/)
    expect(await store.runs.list()).toEqual([])
  })

  it('refuses a transaction handle used after the transaction ended', async () => {
    const leaked = await store.transaction(async (tx) => tx)
    await expect(leaked.runs.list()).rejects.toThrow(/used after it ended/)
  })

  it("moves data_version only when another connection commits, and lists runs' versions and foreign owners", async () => {
    const other = await openRunStore(store.location)
    try {
      const before = await store.dataVersion()
      const own = await store.runs.insert({ name: 'own', hparams, appVersion: 't' })
      expect(await store.dataVersion()).toBe(before)
      const theirs = await other.runs.insert({ name: 'theirs', hparams, appVersion: 't' })
      expect(await store.dataVersion()).not.toBe(before)
      await other.runs.markRunning(theirs.id, {
        backendInfo: WASM_BACKEND,
        datasetChecksum: null,
        startedAt: '2026-01-01T00:00:00.000Z',
        ownerPid: process.pid + 1
      })
      await store.runs.markRunning(own.id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: '2026-01-01T00:00:00.000Z' })
      expect(await store.runs.foreignOwners(process.pid)).toEqual([process.pid + 1])
      const versions = await store.runs.versions()
      expect(versions.map((v) => v.id).sort()).toEqual([own.id, theirs.id].sort())
      expect(versions.find((v) => v.id === theirs.id)!.version).toBeGreaterThan(0)
    } finally {
      await other.close()
    }
  })

  it('closes once, after the calls queued before it, and may be closed again', async () => {
    const listed = store.runs.list()
    const closed = store.close()
    expect(await listed).toEqual([])
    await closed
    await store.close()
    expect(sqliteHandleForTests(store).open).toBe(false)
  })
})
