/** Model-file records and resume points: replace-and-return-old, cascade with the run, the reopen transition. */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { RunStore } from '@main/core/store'
import { WASM_BACKEND, dbErrorOf, epochRecord, sampleMetrics, samplePredictions } from './fixtures/sample-run'
import { describeStore, openTestStore } from './fixtures/test-store'

let store: RunStore
beforeEach(async () => {
  store = await openTestStore()
})
afterEach(() => store.close())

const file = (epoch: number, kind = 'checkpoint') => ({
  file: `${kind}-000${epoch}.atm`,
  format: 'atelier-model/2',
  epoch,
  bytes: 1000 + epoch,
  sha256: 'ab'.repeat(32)
})

/** A run that trained `epochs` epochs with a checkpoint after each, then ended as `status`. */
async function trained(epochs: number, status: 'completed' | 'failed' | 'cancelled' | 'interrupted'): Promise<number> {
  const run = await store.runs.insert({ name: 'r', hparams: { ...defaultHparams('dense'), epochs: 5 }, appVersion: 't' })
  await store.runs.markRunning(run.id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: '2025-01-01T00:00:00.000Z' })
  for (let e = 1; e <= epochs; e++) {
    await store.epochs.append(run.id, epochRecord(e))
    await store.modelFiles.record(run.id, 'checkpoint', file(e))
  }
  if (status === 'completed') {
    await store.results.save(run.id, sampleMetrics(), samplePredictions(10))
    await store.modelFiles.record(run.id, 'model', file(epochs, 'model'))
  }
  if (status === 'interrupted') await store.runs.markInterrupted({ isAlive: () => false })
  else
    await store.runs.finish(run.id, { status, finishedAt: '2025-01-01T01:00:00.000Z', errorMessage: status === 'failed' ? 'boom' : null })
  return run.id
}

describeStore('model files', () => {
  it('keep one record per kind, return the replaced file name, and go with their run', async () => {
    const id = await trained(0, 'failed')
    expect(await store.modelFiles.record(id, 'checkpoint', file(1))).toBeNull()
    expect(await store.modelFiles.record(id, 'checkpoint', file(2))).toBe('checkpoint-0001.atm')
    expect(await store.modelFiles.get(id, 'checkpoint')).toMatchObject({ epoch: 2, bytes: 1002, file: 'checkpoint-0002.atm' })
    expect(await store.modelFiles.totalBytes()).toEqual({ model: 0, checkpoint: 1002 })
    await store.runs.delete([id])
    expect(await store.modelFiles.list(id)).toEqual([])
  })

  it('refuse records for missing runs and file names with paths in them', async () => {
    expect((await dbErrorOf(() => store.modelFiles.record(999, 'model', file(1)))).kind).toBe('not-found')
    const id = await trained(0, 'failed')
    expect((await dbErrorOf(() => store.modelFiles.record(id, 'model', { ...file(1), file: '../../etc/passwd' }))).kind).toBe('bad-input')
  })

  it('list checkpoints to drop only for completed runs that have a final model', async () => {
    const done = await trained(2, 'completed')
    await trained(2, 'failed')
    expect((await store.modelFiles.checkpointsOfCompletedRuns()).map((r) => r.runId)).toEqual([done])
  })
})

describeStore('reopening a run', () => {
  it('resumes an interrupted run: queued again, history kept, later epochs dropped, point recorded', async () => {
    const id = await trained(3, 'interrupted')
    const point = await store.resumePoints.reopen(id, { kind: 'resumed', afterEpoch: 2, at: '2025-02-01T00:00:00.000Z' })
    expect(point).toEqual({
      afterEpoch: 2,
      kind: 'resumed',
      at: '2025-02-01T00:00:00.000Z',
      previousTestAccuracy: null,
      previousTestLoss: null
    })
    const run = (await store.runs.get(id))!
    expect(run).toMatchObject({
      status: 'queued',
      errorMessage: null,
      finishedAt: null,
      epochsDone: 2,
      startedAt: '2025-01-01T00:00:00.000Z'
    })
    expect(run.history.map((e) => e.epoch)).toEqual([1, 2])
    expect(run.bestValAccuracy).toBe(Math.max(epochRecord(1).valAccuracy, epochRecord(2).valAccuracy))
    expect(run.resumePoints).toEqual([point])
    // Starting it again keeps its original start time.
    await store.runs.markRunning(id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: '2025-02-01T00:00:01.000Z' })
    expect((await store.runs.get(id))?.startedAt).toBe('2025-01-01T00:00:00.000Z')
  })

  it('extends a completed run: more epochs planned, previous test figures kept in the point, results kept until replaced', async () => {
    const id = await trained(5, 'completed')
    const hparams = { ...(await store.runs.get(id))!.hparams, epochs: 8 }
    const point = await store.resumePoints.reopen(id, { kind: 'extended', afterEpoch: 5, hparams })
    expect(point).toMatchObject({
      kind: 'extended',
      afterEpoch: 5,
      previousTestAccuracy: sampleMetrics().testAccuracy,
      previousTestLoss: sampleMetrics().testLoss
    })
    expect(await store.runs.get(id)).toMatchObject({
      status: 'queued',
      epochsPlanned: 8,
      hparams: { epochs: 8 },
      testAccuracy: sampleMetrics().testAccuracy
    })
  })

  it('refuses the wrong status and leaves the run unchanged', async () => {
    const done = await trained(2, 'completed')
    const error = await dbErrorOf(() => store.resumePoints.reopen(done, { kind: 'resumed', afterEpoch: 2 }))
    expect(error.message).toMatch(/cannot be resumed: it is completed/)
    const failed = await trained(2, 'failed')
    expect((await dbErrorOf(() => store.resumePoints.reopen(failed, { kind: 'extended', afterEpoch: 2 }))).message).toMatch(
      /cannot be trained further: it is failed/
    )
    expect(await store.runs.get(failed)).toMatchObject({ status: 'failed', errorMessage: 'boom', resumePoints: [] })
    expect((await dbErrorOf(() => store.resumePoints.reopen(4242, { kind: 'resumed', afterEpoch: 0 }))).kind).toBe('not-found')
  })
})
