import { afterEach, beforeEach, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { RunStore } from '@main/core/store'
import { DbError } from '@main/core/store/db-error'
import { sampleMetrics, samplePredictions } from './fixtures/sample-run'
import { describeStore, openTestStore, rawSql } from './fixtures/test-store'

let store: RunStore
let runId: number
beforeEach(async () => {
  store = await openTestStore()
  runId = (await store.runs.insert({ name: 'r', hparams: defaultHparams('cnn-deep'), appVersion: '0.1.0' })).id
})
afterEach(() => store.close())

const bytesOf = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

describeStore('results repository', () => {
  it('round-trips 10,000 predictions byte for byte in compact blobs', async () => {
    const predictions = samplePredictions(10_000, 42)
    await store.results.save(runId, sampleMetrics(), predictions)
    const [sizes] = await rawSql(store, 'SELECT length(predicted) AS p, length(probabilities) AS q FROM results WHERE run_id = ?', [runId])
    expect(sizes).toEqual({ p: 10_000, q: 400_000 })
    const back = (await store.results.getPredictions(runId))!
    expect(back.predicted).toBeInstanceOf(Uint8Array)
    expect(back.probabilities).toBeInstanceOf(Float32Array)
    expect(bytesOf(back.predicted).equals(bytesOf(predictions.predicted))).toBe(true)
    expect(bytesOf(back.probabilities).equals(bytesOf(predictions.probabilities))).toBe(true)
  })

  it('hands out fresh, aligned copies that the caller may change', async () => {
    await store.results.save(runId, sampleMetrics(), samplePredictions(100))
    const a = (await store.results.getPredictions(runId))!
    const b = (await store.results.getPredictions(runId))!
    expect(a.probabilities.byteOffset).toBe(0)
    expect(a.probabilities.buffer).not.toBe(b.probabilities.buffer)
    expect(a.probabilities.buffer.byteLength).toBe(100 * 10 * 4)
    a.predicted[0] = 99
    a.probabilities[0] = -1
    expect(b.predicted[0]).not.toBe(99)
    expect((await store.results.getPredictions(runId))!.probabilities[0]).toBe(b.probabilities[0])
  })

  it('stores predictions handed over as a view into a larger buffer', async () => {
    const whole = samplePredictions(30, 3)
    const backing = new Float32Array(whole.probabilities.length + 7)
    backing.set(whole.probabilities, 7)
    const view = backing.subarray(7)
    await store.results.save(runId, sampleMetrics(), { predicted: whole.predicted, probabilities: view })
    expect(Array.from((await store.results.getPredictions(runId))!.probabilities)).toEqual(Array.from(whole.probabilities))
  })

  it('records whether batch-norm statistics were re-estimated before the test, and nothing for runs without', async () => {
    await store.results.save(runId, { ...sampleMetrics(), batchNorm: { layers: 5, images: 1800 } }, samplePredictions(10))
    expect((await store.results.getMetrics(runId))?.batchNorm).toEqual({ layers: 5, images: 1800 })
    const other = (await store.runs.insert({ name: 'no bn', hparams: defaultHparams('dense'), appVersion: '0.1.0' })).id
    await store.results.save(other, sampleMetrics(), samplePredictions(10))
    expect(await store.results.getMetrics(other)).not.toHaveProperty('batchNorm')
  })

  it('round-trips test metrics, including NaN precision of a class never predicted', async () => {
    const metrics = sampleMetrics()
    metrics.perClass[3] = { precision: Number.NaN, recall: 0, f1: Number.NaN, support: 1000 }
    await store.results.save(runId, metrics, samplePredictions(10))
    const back = (await store.results.getMetrics(runId))!
    expect(back.confusion).toEqual(metrics.confusion)
    expect(back.perClass[3]!.precision).toBeNaN()
    expect(back.perClass[4]).toEqual(metrics.perClass[4])
    expect(back).toMatchObject({ testLoss: metrics.testLoss, testAccuracy: metrics.testAccuracy })
    expect((await store.runs.get(runId))!.metrics).toEqual(back)
  })

  it('replaces earlier results of the same run', async () => {
    await store.results.save(runId, sampleMetrics(), samplePredictions(10, 1))
    const newer = samplePredictions(20, 2)
    await store.results.save(runId, { ...sampleMetrics(), testAccuracy: 0.5 }, newer)
    expect((await store.results.getMetrics(runId))?.testAccuracy).toBe(0.5)
    expect((await store.results.getPredictions(runId))?.predicted).toEqual(newer.predicted)
  })

  it('refuses mismatched sizes and unknown runs without writing', async () => {
    const p = samplePredictions(10)
    const short = { predicted: p.predicted, probabilities: p.probabilities.subarray(1) }
    await expect(store.results.save(runId, sampleMetrics(), short)).rejects.toThrowError(DbError)
    await expect(store.results.save(9999, sampleMetrics(), p)).rejects.toThrowError(/run 9999 does not exist/)
    expect(await store.results.getMetrics(runId)).toBeNull()
    expect(await store.results.getPredictions(runId)).toBeNull()
  })

  it('reports damaged prediction blobs instead of returning misaligned arrays', async () => {
    await store.results.save(runId, sampleMetrics(), samplePredictions(10))
    await rawSql(store, 'UPDATE results SET probabilities = ? WHERE run_id = ?', [Buffer.alloc(13), runId])
    await expect(store.results.getPredictions(runId)).rejects.toThrowError(new RegExp(`Run ${runId} has damaged predictions`))
  })
})
