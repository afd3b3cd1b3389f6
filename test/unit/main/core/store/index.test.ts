import { fork } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { beforeEach, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { RunStore } from '@main/core/store'
import { WASM_BACKEND, dbErrorOf, deadPid, epochRecord, sampleMetrics, samplePredictions } from './fixtures/sample-run'
import { describeSqliteOnly, describeStore, engine, freshLocation, openTestStore, shownLocation } from './fixtures/test-store'

/** A file path (SQLite) or database URL (PostgreSQL), fresh for each test. */
let location: string
beforeEach(async () => {
  location = await freshLocation()
})

describeStore('openRunStore', () => {
  it('keeps a full run lifecycle across close and reopen', async () => {
    const store = await openTestStore(location)
    const hparams = { ...defaultHparams('cnn-bn'), epochs: 3, seed: 1234 }
    const { id } = await store.runs.insert({ name: 'bn baseline', hparams, appVersion: '0.1.0' })
    await store.runs.markRunning(id, { backendInfo: WASM_BACKEND, datasetChecksum: 'sha256:fm', startedAt: '2025-05-05T09:00:00.000Z' })
    for (let e = 1; e <= 3; e++) await store.epochs.append(id, epochRecord(e))
    const predictions = samplePredictions(10_000, 5)
    await store.results.save(id, sampleMetrics(), predictions)
    await store.runs.finish(id, { status: 'completed', finishedAt: '2025-05-05T09:30:00.000Z' })
    await store.runs.update(id, { tags: ['bn'], notes: 'first try' })
    const before = await store.runs.get(id)
    await store.close()
    await store.close()

    const reopened = await openTestStore(location)
    const detail = (await reopened.runs.get(id))!
    expect(detail).toEqual(before)
    expect(detail).toMatchObject({
      status: 'completed',
      seed: 1234,
      epochsDone: 3,
      epochsPlanned: 3,
      backend: 'wasm',
      datasetChecksum: 'sha256:fm',
      testAccuracy: 0.9012,
      tags: ['bn'],
      notes: 'first try',
      startedAt: '2025-05-05T09:00:00.000Z',
      finishedAt: '2025-05-05T09:30:00.000Z'
    })
    expect(detail.history).toEqual([1, 2, 3].map(epochRecord))
    expect(detail.metrics).toEqual(sampleMetrics())
    expect((await reopened.results.getPredictions(id))!.predicted).toEqual(predictions.predicted)
    await reopened.close()
  })

  it.each(['exit', 'kill'] as const)(
    'keeps committed epochs when the writing process dies mid-transaction (%s), then marks the run interrupted',
    async (mode) => {
      const setup = await openTestStore(location)
      const { id } = await setup.runs.insert({ name: 'doomed', hparams: { ...defaultHparams('dense'), epochs: 10 }, appVersion: '0.1.0' })
      // The app that drove the run is gone (its writer is the child below).
      await setup.runs.markRunning(id, {
        backendInfo: WASM_BACKEND,
        datasetChecksum: 'c',
        startedAt: new Date().toISOString(),
        ownerPid: deadPid()
      })
      await setup.close()

      const child = fork(join(import.meta.dirname, 'fixtures', 'crash-writer.ts'), [location, String(id), '3', mode], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
      })
      const exited = once(child, 'exit')
      const [message] = (await Promise.race([
        once(child, 'message'),
        exited.then(([code, signal]) => {
          throw new Error(`crash-writer ended (${code ?? signal}) before holding its write`)
        })
      ])) as [{ type: string; epoch: number }]
      expect(message).toEqual({ type: 'holding-write', epoch: 4 })

      if (mode === 'kill') {
        // A second connection while the child still holds the write: WAL lets it read the
        // three committed epochs and nothing of the open transaction.
        const observer = await openTestStore(location)
        expect((await observer.epochs.list(id)).map((e) => e.epoch)).toEqual([1, 2, 3])
        await observer.close()
        child.kill('SIGKILL')
      }
      const [code, signal] = await exited
      expect(mode === 'kill' ? signal : code).toBe(mode === 'kill' ? 'SIGKILL' : 1)

      const after = await openTestStore(location)
      expect((await after.epochs.list(id)).map((e) => e.epoch)).toEqual([1, 2, 3])
      expect(await after.runs.get(id)).toMatchObject({ status: 'running', epochsDone: 3, bestValAccuracy: 0.73 })
      expect(await after.runs.markInterrupted()).toBe(1)
      const run = (await after.runs.get(id))!
      expect(run.status).toBe('interrupted')
      expect(run.errorMessage).toMatch(/stopped while this run was training, after 3 of 10 epochs/)
      // The database is writable again: the dead process's lock is gone.
      await after.epochs.append(id, epochRecord(4))
      expect((await after.runs.get(id))?.epochsDone).toBe(4)
      await after.close()
    }
  )
})

describeStore('run store transactions and change detection', () => {
  const queue = (store: { runs: RunStore['runs'] }, name: string) =>
    store.runs.insert({ name, hparams: { ...defaultHparams('dense'), epochs: 4 }, appVersion: '0.1.0' })

  it('names its engine and resolved location', async () => {
    const store = await openTestStore(location)
    expect(store).toMatchObject({ engine, location: shownLocation(location) })
    await store.close()
  })

  it('commits what a transaction did when it resolves, and keeps none of it when it throws', async () => {
    const store = await openTestStore(location)
    const kept = await store.transaction(async (tx) => {
      const run = await queue(tx, 'kept')
      await tx.runs.markRunning(run.id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: '2025-01-01T00:00:00.000Z' })
      await tx.epochs.append(run.id, epochRecord(1))
      return run.id
    })
    await expect(
      store.transaction(async (tx) => {
        await queue(tx, 'rolled back')
        await tx.epochs.append(kept, epochRecord(2))
        throw new Error('changed my mind')
      })
    ).rejects.toThrow('changed my mind')
    expect((await store.runs.list()).map((r) => r.name)).toEqual(['kept'])
    expect(await store.runs.get(kept)).toMatchObject({ epochsDone: 1, history: [epochRecord(1)] })
    await store.close()
  })

  it('makes other store calls wait until a transaction ends', async () => {
    const store = await openTestStore(location)
    let release = (): void => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    const order: string[] = []
    const transaction = store.transaction(async (tx) => {
      await queue(tx, 'inside')
      await held
      order.push('transaction ends')
    })
    // Let the transaction start before the outside call is made.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const outside = store.runs.list().then((runs) => {
      order.push('list answers')
      return runs
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(order).toEqual([])
    release()
    await transaction
    expect((await outside).map((r) => r.name)).toEqual(['inside'])
    expect(order).toEqual(['transaction ends', 'list answers'])
    await store.close()
  })

  it('keeps a transaction usable after a step it caught was refused (a dataset name taken twice)', async () => {
    const store = await openTestStore(location)
    const dataset = {
      name: 'pets',
      title: 'pets',
      source: 'folder' as const,
      contentHash: 'c'.repeat(64),
      shape: { height: 16, width: 16, channels: 3 as const },
      classNames: ['cat', 'dog'],
      trainCount: 400,
      testCount: 100,
      preprocessing: { fit: 'cover' as const, height: 16, width: 16, color: 'rgb' as const, scale: 1 / 255 },
      location: '/data/pets.bin',
      report: null,
      createdAt: '2026-12-04T00:00:00.000Z'
    }
    await store.transaction(async (tx) => {
      await tx.datasets.insert(dataset)
      expect((await dbErrorOf(() => tx.datasets.insert({ ...dataset, title: 'again' }))).kind).toBe('bad-input')
      await queue(tx, 'after the refusal')
    })
    expect((await store.datasets.get('pets'))?.title).toBe('pets')
    expect((await store.runs.list()).map((r) => r.name)).toEqual(['after the refusal'])
    await store.close()
  })

  it('undoes a failed step inside a transaction without undoing the steps before it', async () => {
    const store = await openTestStore()
    const run = await queue(store, 'r')
    await store.transaction(async (tx) => {
      await tx.epochs.append(run.id, epochRecord(1))
      // The duplicate's progress update runs before its insert fails; it must not stay behind.
      const error = await dbErrorOf(() => tx.epochs.append(run.id, { ...epochRecord(1), valAccuracy: 0.99 }))
      expect(error.kind).toBe('invalid-state')
      await tx.epochs.append(run.id, epochRecord(2))
    })
    const detail = (await store.runs.get(run.id))!
    expect(detail.history).toEqual([epochRecord(1), epochRecord(2)])
    expect(detail.bestValAccuracy).toBe(Math.max(epochRecord(1).valAccuracy, epochRecord(2).valAccuracy))
    await store.close()
  })

  it('changes its data version when another connection commits', async () => {
    const store = await openTestStore(location)
    const other = await openTestStore(location)
    const start = await store.dataVersion()
    expect(await store.dataVersion()).toBe(start)
    await queue(other, 'theirs')
    const after = await store.dataVersion()
    expect(after).not.toBe(start)
    expect(await store.dataVersion()).toBe(after)
    await other.close()
    await store.close()
  })

  it("lists every run's version and the owners of runs other processes drive", async () => {
    const store = await openTestStore()
    const mine = await queue(store, 'mine')
    const theirs = await queue(store, 'theirs')
    const waiting = await queue(store, 'waiting')
    const started = (id: number, ownerPid: number) =>
      store.runs.markRunning(id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: '2025-01-01T00:00:00.000Z', ownerPid })
    await started(mine.id, process.pid)
    const running = await started(theirs.id, process.pid + 1)
    expect(await store.runs.versions()).toEqual([
      { id: mine.id, version: (await store.runs.get(mine.id))!.version },
      { id: theirs.id, version: running.version },
      { id: waiting.id, version: waiting.version }
    ])
    expect(await store.runs.foreignOwners(process.pid)).toEqual([process.pid + 1])
    await store.close()
  })
})

describeSqliteOnly('run store data version (SQLite: PRAGMA data_version)', () => {
  it('stays the same for its own writes', async () => {
    const store = await openTestStore(location)
    const start = await store.dataVersion()
    await store.runs.insert({ name: 'mine', hparams: defaultHparams('dense'), appVersion: '0.1.0' })
    expect(await store.dataVersion()).toBe(start)
    await store.close()
  })
})
