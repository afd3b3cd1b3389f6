import { afterEach, beforeEach, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { RunStore } from '@main/core/store'
import { WASM_BACKEND, epochRecord, dbErrorOf } from './fixtures/sample-run'
import { describeStore, openTestStore } from './fixtures/test-store'

let store: RunStore
let runId: number
beforeEach(async () => {
  store = await openTestStore()
  runId = (await store.runs.insert({ name: 'r', hparams: defaultHparams('dense'), appVersion: '0.1.0' })).id
  await store.runs.markRunning(runId, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: new Date().toISOString() })
})
afterEach(() => store.close())

describeStore('epochs repository', () => {
  it('keeps the history in epoch order and tracks epochs done and the best validation accuracy', async () => {
    const curve = [0.81, 0.86, 0.84, 0.88, 0.87].map((valAccuracy, i) => ({ ...epochRecord(i + 1), valAccuracy }))
    for (const record of curve) await store.epochs.append(runId, record)
    expect(await store.epochs.list(runId)).toEqual(curve)
    expect(await store.runs.get(runId)).toMatchObject({ epochsDone: 5, bestValAccuracy: 0.88 })
  })

  it('records a diverged epoch (NaN loss) and reads NaN back without losing the best accuracy', async () => {
    await store.epochs.append(runId, { ...epochRecord(1), valAccuracy: 0.5 })
    const diverged = { ...epochRecord(2), loss: Number.NaN, valLoss: Number.NaN, valAccuracy: Number.NaN }
    await store.epochs.append(runId, diverged)
    const [, second] = await store.epochs.list(runId)
    expect(second!.loss).toBeNaN()
    expect(second!.valAccuracy).toBeNaN()
    expect(second!.accuracy).toBe(diverged.accuracy)
    expect(await store.runs.get(runId)).toMatchObject({ epochsDone: 2, bestValAccuracy: 0.5 })
  })

  it('refuses an epoch recorded twice and leaves the run exactly as it was', async () => {
    await store.epochs.append(runId, epochRecord(1))
    await store.epochs.append(runId, epochRecord(2))
    const before = await store.runs.get(runId)
    const error = await dbErrorOf(() => store.epochs.append(runId, { ...epochRecord(2), valAccuracy: 0.99 }))
    expect(error.kind).toBe('invalid-state')
    expect(error.message).toContain(`Epoch 2 of run ${runId} is already recorded`)
    // The run update happens before the insert in the same transaction; it must be rolled back.
    expect(await store.runs.get(runId)).toEqual(before)
  })

  it('refuses epochs of an unknown run and malformed epoch numbers', async () => {
    expect((await dbErrorOf(() => store.epochs.append(9999, epochRecord(1)))).kind).toBe('not-found')
    expect((await dbErrorOf(() => store.epochs.append(runId, { ...epochRecord(1), epoch: 0 }))).kind).toBe('bad-input')
    expect((await dbErrorOf(() => store.epochs.append(runId, { ...epochRecord(1), epoch: 1.5 }))).kind).toBe('bad-input')
    expect(await store.epochs.list(runId)).toEqual([])
    expect(await store.epochs.list(9999)).toEqual([])
  })

  it('reads the histories of several runs at once', async () => {
    const other = (await store.runs.insert({ name: 'o', hparams: defaultHparams('dense'), appVersion: '0.1.0' })).id
    await store.epochs.append(runId, epochRecord(1))
    await store.epochs.append(other, epochRecord(1))
    await store.epochs.append(other, epochRecord(2))
    const byRun = await store.epochs.listForRuns([runId, other, 12345])
    expect(byRun.get(runId)).toHaveLength(1)
    expect(byRun.get(other)?.map((e) => e.epoch)).toEqual([1, 2])
    expect(byRun.has(12345)).toBe(false)
  })
})
