import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { openRunStore, type RunStore } from '@main/core/store'
import { WASM_BACKEND, epochRecord, makeTempDir, sampleMetrics, samplePredictions, dbErrorOf, deadPid } from './fixtures/sample-run'

let store: RunStore
beforeEach(() => {
  store = openRunStore(':memory:')
})
afterEach(() => store.close())

const queue = (name: string, createdAt?: string) =>
  store.runs.insert({ name, hparams: { ...defaultHparams('cnn-shallow'), epochs: 12, seed: 7 }, appVersion: '0.1.0', createdAt })
const start = (id: number, ownerPid?: number) =>
  store.runs.markRunning(id, { backendInfo: WASM_BACKEND, datasetChecksum: 'sha256:abc', startedAt: '2025-03-01T10:00:00.000Z', ownerPid })
const count = (table: string, runId: number): number =>
  (store.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE run_id = ?`).get(runId) as { n: number }).n

describe('runs repository', () => {
  it("bumps a run's version on every change and sums its epochs into one training time", () => {
    const run = queue('versioned')
    const versions = [run.version]
    versions.push(start(run.id).version)
    store.epochs.append(run.id, { ...epochRecord(1), durationMs: 1500 })
    store.epochs.append(run.id, { ...epochRecord(2), durationMs: 2500 })
    versions.push(store.runs.get(run.id)!.version)
    versions.push(store.runs.update(run.id, { notes: 'n' }).version)
    const done = store.runs.finish(run.id, { status: 'completed', finishedAt: '2025-03-01T11:00:00.000Z' })
    versions.push(done.version)
    expect(versions).toEqual([...versions].sort((a, b) => a - b))
    expect(new Set(versions).size).toBe(versions.length)
    expect(done.trainingMs).toBe(4000)
    expect(done.ownedElsewhere).toBe(false)
  })

  it('says when another process is training a run', () => {
    const run = queue('elsewhere')
    expect(start(run.id, process.pid + 1).ownedElsewhere).toBe(true)
  })

  it('queues a run with epochs planned and seed taken from its hyperparameters', () => {
    const run = queue('first')
    expect(run).toMatchObject({
      name: 'first',
      preset: 'cnn-shallow',
      status: 'queued',
      epochsDone: 0,
      epochsPlanned: 12,
      bestValAccuracy: null,
      testAccuracy: null,
      testLoss: null,
      backend: null,
      tags: [],
      startedAt: null,
      finishedAt: null,
      errorMessage: null
    })
    expect(new Date(run.createdAt).toISOString()).toBe(run.createdAt)
    const detail = store.runs.get(run.id)!
    expect(detail.seed).toBe(7)
    expect(detail.hparams).toEqual({ ...defaultHparams('cnn-shallow'), epochs: 12, seed: 7 })
    expect(detail).toMatchObject({ notes: '', appVersion: '0.1.0', backendInfo: null, datasetChecksum: null, history: [], metrics: null })
  })

  it('lists each run with its hyperparameters by dotted path and its notes, for the list’s columns and filter', () => {
    const run = queue('swept')
    store.runs.update(run.id, { notes: 'lr too high?' })
    const [row] = store.runs.list()
    expect(row!.notes).toBe('lr too high?')
    expect(row!.hp).toMatchObject({
      learningRate: 0.001,
      batchSize: 64,
      epochs: 12,
      seed: 7,
      'earlyStopping.patience': 3,
      trainSubset: null
    })
  })

  it('refuses invalid hyperparameters without writing anything', () => {
    const error = dbErrorOf(() =>
      store.runs.insert({ name: 'bad', hparams: { ...defaultHparams('dense'), epochs: 0 }, appVersion: '0.1.0' })
    )
    expect(error.kind).toBe('bad-input')
    expect(error.message).toContain('epochs')
    expect(store.runs.list()).toEqual([])
  })

  it('records the backend when a run starts, and only a queued run can start', () => {
    const run = queue('a')
    const running = start(run.id)
    expect(running).toMatchObject({ status: 'running', backend: 'wasm', startedAt: '2025-03-01T10:00:00.000Z' })
    expect(store.runs.get(run.id)).toMatchObject({ backendInfo: WASM_BACKEND, datasetChecksum: 'sha256:abc' })
    const again = dbErrorOf(() => start(run.id))
    expect(again.kind).toBe('invalid-state')
    expect(again.message).toMatch(/Run \d+ cannot be started: it is running/)
    expect(dbErrorOf(() => start(9999)).kind).toBe('not-found')
  })

  it('finishes a run once; a finished run keeps its final status', () => {
    const run = queue('a')
    start(run.id)
    const failed = store.runs.finish(run.id, { status: 'failed', errorMessage: 'out of memory', finishedAt: '2025-03-01T11:00:00.000Z' })
    expect(failed).toMatchObject({ status: 'failed', errorMessage: 'out of memory', finishedAt: '2025-03-01T11:00:00.000Z' })
    const second = dbErrorOf(() => store.runs.finish(run.id, { status: 'completed', finishedAt: '2025-03-01T12:00:00.000Z' }))
    expect(second.kind).toBe('invalid-state')
    expect(store.runs.get(run.id)?.status).toBe('failed')
    const queued = queue('b')
    expect(dbErrorOf(() => store.runs.finish(queued.id, { status: 'running', finishedAt: 'x' })).kind).toBe('bad-input')
    expect(store.runs.finish(queued.id, { status: 'cancelled', finishedAt: '2025-03-01T12:00:00.000Z' }).status).toBe('cancelled')
  })

  it('edits name, notes and tags, leaving omitted fields alone', () => {
    const run = queue('before')
    expect(store.runs.update(run.id, { tags: ['baseline', 'wasm'] })).toMatchObject({ name: 'before', tags: ['baseline', 'wasm'] })
    expect(store.runs.update(run.id, { name: 'after', notes: 'lr too high?' }).tags).toEqual(['baseline', 'wasm'])
    expect(store.runs.get(run.id)).toMatchObject({ name: 'after', notes: 'lr too high?', tags: ['baseline', 'wasm'] })
    expect(store.runs.update(run.id, { tags: [] }).tags).toEqual([])
    expect(dbErrorOf(() => store.runs.update(4242, { name: 'x' })).kind).toBe('not-found')
  })

  it('lists newest first with the headline test figures', () => {
    const old = queue('old', '2025-01-01T00:00:00.000Z')
    const mid = queue('mid', '2025-02-01T00:00:00.000Z')
    const sameTime = queue('same time, later id', '2025-02-01T00:00:00.000Z')
    store.results.save(mid.id, sampleMetrics(), samplePredictions(100))
    const list = store.runs.list()
    expect(list.map((r) => r.name)).toEqual(['same time, later id', 'mid', 'old'])
    expect(list[1]).toMatchObject({ testAccuracy: 0.9012, testLoss: 0.3141 })
    expect(list[2]).toMatchObject({ id: old.id, testAccuracy: null })
    expect(sameTime.id).toBeGreaterThan(mid.id)
  })

  it('gets several runs in the order asked for, skipping unknown ids', () => {
    const a = queue('a')
    const b = queue('b')
    start(b.id)
    store.epochs.append(b.id, epochRecord(1))
    store.results.save(b.id, sampleMetrics(), samplePredictions(10))
    const many = store.runs.getMany([b.id, 777, a.id, b.id])
    expect(many.map((r) => r.name)).toEqual(['b', 'a'])
    expect(many[0]!.history).toEqual([epochRecord(1)])
    expect(many[0]!.metrics).toEqual(sampleMetrics())
    expect(many[1]).toMatchObject({ history: [], metrics: null })
    expect(store.runs.get(777)).toBeNull()
  })

  it('deletes runs with all their epochs and results', () => {
    const keep = queue('keep')
    const gone = queue('gone')
    for (const run of [keep, gone]) {
      start(run.id)
      for (let e = 1; e <= 3; e++) store.epochs.append(run.id, epochRecord(e))
      store.results.save(run.id, sampleMetrics(), samplePredictions(50))
    }
    expect(store.runs.delete([gone.id, 31337])).toBe(1)
    expect(count('epochs', gone.id)).toBe(0)
    expect(count('results', gone.id)).toBe(0)
    expect(store.results.getPredictions(gone.id)).toBeNull()
    expect(count('epochs', keep.id)).toBe(3)
    expect(count('results', keep.id)).toBe(1)
    expect(store.runs.list().map((r) => r.name)).toEqual(['keep'])
    expect(store.runs.delete([])).toBe(0)
  })

  it('marks running runs interrupted after a crash and leaves queued and finished runs alone', () => {
    const running = queue('running')
    start(running.id, deadPid())
    for (let e = 1; e <= 4; e++) store.epochs.append(running.id, epochRecord(e))
    // Another live process (this one stands in for the app while the CLI starts) still drives this run.
    const live = queue('live')
    start(live.id, process.pid)
    const waiting = queue('waiting')
    const done = queue('done')
    start(done.id)
    store.runs.finish(done.id, { status: 'completed', finishedAt: '2025-03-01T12:00:00.000Z' })
    expect(store.runs.markInterrupted()).toBe(1)
    const interrupted = store.runs.get(running.id)!
    expect(interrupted.status).toBe('interrupted')
    expect(interrupted.errorMessage).toBe(
      'Atelier stopped while this run was training, after 4 of 12 epochs. The completed epochs were kept; continue from the last one with Resume, or start again with Re-run.'
    )
    expect(interrupted.finishedAt).toBeNull()
    expect(interrupted.history).toHaveLength(4)
    expect(store.runs.get(live.id)?.status).toBe('running')
    expect(store.runs.get(waiting.id)?.status).toBe('queued')
    expect(store.runs.get(done.id)?.status).toBe('completed')
    expect(store.runs.markInterrupted()).toBe(0)
  })

  it('names the run whose stored hyperparameters no longer validate', () => {
    const run = queue('damaged')
    store.db.prepare('UPDATE runs SET hparams = ? WHERE id = ?').run(JSON.stringify({ preset: 'dense', epochs: -3 }), run.id)
    const error = dbErrorOf(() => store.runs.get(run.id))
    expect(error.kind).toBe('bad-row')
    expect(error.runId).toBe(run.id)
    expect(error.message).toContain(`Run ${run.id}`)
    expect(error.message).toContain('epochs')
    // The list does not need hyperparameters, so one damaged run does not hide the others.
    expect(store.runs.list()).toHaveLength(1)
  })
})

describe('runs repository list with 1,000 runs × 50 epochs', () => {
  it('lists in one query, far below a query per run', () => {
    const temp = makeTempDir()
    const path = join(temp.dir, 'atelier.db')
    try {
      const seeded = openRunStore(path)
      const hparams = { ...defaultHparams('cnn-bn'), epochs: 50 }
      seeded.db.transaction(() => {
        for (let i = 0; i < 1000; i++) {
          const createdAt = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString()
          const { id } = seeded.runs.insert({ name: `run ${i}`, hparams, appVersion: '0.1.0', createdAt })
          seeded.runs.markRunning(id, { backendInfo: WASM_BACKEND, datasetChecksum: 'c', startedAt: createdAt })
          for (let e = 1; e <= 50; e++) seeded.epochs.append(id, epochRecord(e))
          if (i % 10 === 0) seeded.results.save(id, sampleMetrics(), samplePredictions(10_000, i))
          seeded.runs.finish(id, { status: 'completed', finishedAt: createdAt })
        }
      })()
      seeded.close()

      const reopened = openRunStore(path)
      const cold = performance.now()
      const first = reopened.runs.list()
      const coldMs = performance.now() - cold
      const times: number[] = []
      for (let i = 0; i < 20; i++) {
        const t = performance.now()
        reopened.runs.list()
        times.push(performance.now() - t)
      }
      times.sort((a, b) => a - b)
      const median = times[times.length >> 1]!
      console.log(
        `runs.list(): 1,000 runs × 50 epochs (100 with full 10,000-image results): ` +
          `first call ${coldMs.toFixed(2)} ms, median ${median.toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms over 20 calls`
      )
      expect(first).toHaveLength(1000)
      expect(first[0]).toMatchObject({ name: 'run 999', epochsDone: 50, status: 'completed' })
      expect(first.at(-1)).toMatchObject({ name: 'run 0', testAccuracy: 0.9012 })
      expect(first[0]!.bestValAccuracy).toBe(Math.max(...Array.from({ length: 50 }, (_, e) => epochRecord(e + 1).valAccuracy)))
      expect(median).toBeLessThan(250) // ~5 ms here; a query per run would take seconds
      reopened.close()
    } finally {
      temp.remove()
    }
  })
})
