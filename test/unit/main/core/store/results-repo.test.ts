import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { openRunStore, type RunStore } from '@main/core/store'
import { DbError } from '@main/core/store/db-error'
import { sampleMetrics, samplePredictions } from './fixtures/sample-run'

let store: RunStore
let runId: number
beforeEach(() => {
  store = openRunStore(':memory:')
  runId = store.runs.insert({ name: 'r', hparams: defaultHparams('cnn-deep'), appVersion: '0.1.0' }).id
})
afterEach(() => store.close())

const bytesOf = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

describe('results repository', () => {
  it('round-trips 10,000 predictions byte for byte in compact blobs', () => {
    const predictions = samplePredictions(10_000, 42)
    store.results.save(runId, sampleMetrics(), predictions)
    const sizes = store.db.prepare('SELECT length(predicted) AS p, length(probabilities) AS q FROM results WHERE run_id = ?').get(runId)
    expect(sizes).toEqual({ p: 10_000, q: 400_000 })
    const back = store.results.getPredictions(runId)!
    expect(back.predicted).toBeInstanceOf(Uint8Array)
    expect(back.probabilities).toBeInstanceOf(Float32Array)
    expect(bytesOf(back.predicted).equals(bytesOf(predictions.predicted))).toBe(true)
    expect(bytesOf(back.probabilities).equals(bytesOf(predictions.probabilities))).toBe(true)
  })

  it('hands out fresh, aligned copies that the caller may change', () => {
    store.results.save(runId, sampleMetrics(), samplePredictions(100))
    const a = store.results.getPredictions(runId)!
    const b = store.results.getPredictions(runId)!
    expect(a.probabilities.byteOffset).toBe(0)
    expect(a.probabilities.buffer).not.toBe(b.probabilities.buffer)
    expect(a.probabilities.buffer.byteLength).toBe(100 * 10 * 4)
    a.predicted[0] = 99
    a.probabilities[0] = -1
    expect(b.predicted[0]).not.toBe(99)
    expect(store.results.getPredictions(runId)!.probabilities[0]).toBe(b.probabilities[0])
  })

  it('stores predictions handed over as a view into a larger buffer', () => {
    const whole = samplePredictions(30, 3)
    const backing = new Float32Array(whole.probabilities.length + 7)
    backing.set(whole.probabilities, 7)
    const view = backing.subarray(7)
    store.results.save(runId, sampleMetrics(), { predicted: whole.predicted, probabilities: view })
    expect(Array.from(store.results.getPredictions(runId)!.probabilities)).toEqual(Array.from(whole.probabilities))
  })

  it('records whether batch-norm statistics were re-estimated before the test, and nothing for runs without', () => {
    store.results.save(runId, { ...sampleMetrics(), batchNorm: { layers: 5, images: 1800 } }, samplePredictions(10))
    expect(store.results.getMetrics(runId)?.batchNorm).toEqual({ layers: 5, images: 1800 })
    const other = store.runs.insert({ name: 'no bn', hparams: defaultHparams('dense'), appVersion: '0.1.0' }).id
    store.results.save(other, sampleMetrics(), samplePredictions(10))
    expect(store.results.getMetrics(other)).not.toHaveProperty('batchNorm')
  })

  it('round-trips test metrics, including NaN precision of a class never predicted', () => {
    const metrics = sampleMetrics()
    metrics.perClass[3] = { precision: Number.NaN, recall: 0, f1: Number.NaN, support: 1000 }
    store.results.save(runId, metrics, samplePredictions(10))
    const back = store.results.getMetrics(runId)!
    expect(back.confusion).toEqual(metrics.confusion)
    expect(back.perClass[3]!.precision).toBeNaN()
    expect(back.perClass[4]).toEqual(metrics.perClass[4])
    expect(back).toMatchObject({ testLoss: metrics.testLoss, testAccuracy: metrics.testAccuracy })
    expect(store.runs.get(runId)!.metrics).toEqual(back)
  })

  it('replaces earlier results of the same run', () => {
    store.results.save(runId, sampleMetrics(), samplePredictions(10, 1))
    const newer = samplePredictions(20, 2)
    store.results.save(runId, { ...sampleMetrics(), testAccuracy: 0.5 }, newer)
    expect(store.results.getMetrics(runId)?.testAccuracy).toBe(0.5)
    expect(store.results.getPredictions(runId)?.predicted).toEqual(newer.predicted)
  })

  it('refuses mismatched sizes and unknown runs without writing', () => {
    const p = samplePredictions(10)
    const short = { predicted: p.predicted, probabilities: p.probabilities.subarray(1) }
    expect(() => store.results.save(runId, sampleMetrics(), short)).toThrowError(DbError)
    expect(() => store.results.save(9999, sampleMetrics(), p)).toThrowError(/run 9999 does not exist/)
    expect(store.results.getMetrics(runId)).toBeNull()
    expect(store.results.getPredictions(runId)).toBeNull()
  })

  it('reports damaged prediction blobs instead of returning misaligned arrays', () => {
    store.results.save(runId, sampleMetrics(), samplePredictions(10))
    store.db.prepare('UPDATE results SET probabilities = zeroblob(13) WHERE run_id = ?').run(runId)
    expect(() => store.results.getPredictions(runId)).toThrowError(new RegExp(`Run ${runId} has damaged predictions`))
  })
})
