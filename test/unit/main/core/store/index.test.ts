import { fork } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { openRunStore } from '@main/core/store'
import { WASM_BACKEND, deadPid, epochRecord, makeTempDir, sampleMetrics, samplePredictions } from './fixtures/sample-run'

let temp: ReturnType<typeof makeTempDir>
let path: string
beforeEach(() => {
  temp = makeTempDir()
  path = join(temp.dir, 'data', 'atelier.db')
})
afterEach(() => temp.remove())

describe('openRunStore', () => {
  it('keeps a full run lifecycle across close and reopen', async () => {
    const store = await openRunStore(path)
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

    const reopened = await openRunStore(path)
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
      const setup = await openRunStore(path)
      const { id } = await setup.runs.insert({ name: 'doomed', hparams: { ...defaultHparams('dense'), epochs: 10 }, appVersion: '0.1.0' })
      // The app that drove the run is gone (its writer is the child below).
      await setup.runs.markRunning(id, {
        backendInfo: WASM_BACKEND,
        datasetChecksum: 'c',
        startedAt: new Date().toISOString(),
        ownerPid: deadPid()
      })
      await setup.close()

      const child = fork(join(import.meta.dirname, 'fixtures', 'crash-writer.ts'), [path, String(id), '3', mode], {
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
        const observer = await openRunStore(path)
        expect((await observer.epochs.list(id)).map((e) => e.epoch)).toEqual([1, 2, 3])
        await observer.close()
        child.kill('SIGKILL')
      }
      const [code, signal] = await exited
      expect(mode === 'kill' ? signal : code).toBe(mode === 'kill' ? 'SIGKILL' : 1)

      const after = await openRunStore(path)
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
