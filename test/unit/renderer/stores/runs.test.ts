import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useRunsStore } from '@renderer/stores/runs'
import { useLiveStore } from '@renderer/stores/live'
import { ApiRequestError } from '@renderer/api/client'
import { installFakeAtelier, makeRun, type FakeAtelier } from '../fixtures/fakeAtelier'

describe('useRunsStore', () => {
  let fake: FakeAtelier
  const initial = [
    makeRun({ id: 1, name: 'baseline dense', preset: 'dense', testAccuracy: 0.86, tags: ['baseline'] }),
    makeRun({ id: 2, name: 'deep try', preset: 'cnn-deep', testAccuracy: 0.91, tags: ['cnn', 'baseline'] }),
    makeRun({ id: 3, name: 'bn', preset: 'cnn-bn', status: 'running', testAccuracy: null, bestValAccuracy: 0.5, epochsDone: 2 })
  ]

  beforeEach(() => {
    setActivePinia(createPinia())
    fake = installFakeAtelier({ 'runs.list': () => initial })
  })

  it('loads the list and keeps it current from runs.updated and runs.deleted', async () => {
    const store = useRunsStore()
    await store.load()
    const off = store.connect()
    expect(store.visible.map((r) => r.id)).toEqual([3, 2, 1])

    fake.emit('runs.updated', makeRun({ id: 4, name: 'new one', status: 'queued' }))
    fake.emit('runs.updated', { ...initial[0], name: 'renamed' })
    expect(store.all).toHaveLength(4)
    expect(store.get(1)?.name).toBe('renamed')

    fake.emit('runs.deleted', { ids: [2, 4] })
    expect(store.visible.map((r) => r.id)).toEqual([3, 1])

    off()
    expect(fake.listenerCount('runs.updated')).toBe(0)
  })

  it('keeps a newer runs.updated when an older answer of cancel arrives after it', async () => {
    // Main cancels the starting run: its trainer stops and main emits `cancelled` (version 5)
    // before the answer, read while the trainer was still stopping (`running`, version 4), arrives.
    fake = installFakeAtelier({
      'runs.list': () => initial,
      'runs.cancel': ({ id }) => {
        fake.emit('runs.updated', makeRun({ id, status: 'cancelled', version: 5 }))
        return makeRun({ id, status: 'running', version: 4 })
      }
    })
    const store = useRunsStore()
    await store.load()
    store.connect()
    const answer = await store.cancel(3)
    expect(answer.status).toBe('running')
    expect(store.get(3)?.status).toBe('cancelled')
  })

  it.each([
    ['rerun', (s: ReturnType<typeof useRunsStore>) => s.rerun(1), 'runs.rerun'],
    ['resume', (s: ReturnType<typeof useRunsStore>) => s.resume(1), 'runs.resume'],
    ['trainMore', (s: ReturnType<typeof useRunsStore>) => s.trainMore(1, 2), 'runs.trainMore'],
    ['update', (s: ReturnType<typeof useRunsStore>) => s.update({ id: 1, notes: 'x' }), 'runs.update'],
    ['start', (s: ReturnType<typeof useRunsStore>) => s.start({} as never), 'runs.start']
  ] as const)('%s: an older answer never replaces a newer event', async (_name, act, channel) => {
    fake = installFakeAtelier({
      'runs.list': () => initial,
      [channel]: () => {
        fake.emit('runs.updated', makeRun({ id: 1, status: 'running', epochsDone: 1, version: 9 }))
        return makeRun({ id: 1, status: 'queued', epochsDone: 0, version: 8 })
      }
    })
    const store = useRunsStore()
    await store.load()
    store.connect()
    await act(store)
    expect(store.get(1)?.status).toBe('running')
    expect(store.get(1)?.epochsDone).toBe(1)
  })

  it('does not bring back a run deleted while an answer naming it was on its way', async () => {
    fake = installFakeAtelier({
      'runs.list': () => initial,
      'runs.update': ({ id }) => {
        fake.emit('runs.deleted', { ids: [id] })
        return makeRun({ id, version: 7 })
      }
    })
    const store = useRunsStore()
    await store.load()
    store.connect()
    await store.update({ id: 2, name: 'late' })
    expect(store.get(2)).toBeUndefined()
  })

  it('a list read before an event does not undo the event', async () => {
    fake = installFakeAtelier({
      'runs.list': () => {
        fake.emit('runs.updated', makeRun({ id: 3, status: 'completed', version: 3 }))
        return initial
      }
    })
    const store = useRunsStore()
    store.connect()
    await store.load()
    expect(store.get(3)?.status).toBe('completed')
    expect(store.get(1)?.name).toBe('baseline dense')
  })

  it('moves epoch counters and best validation accuracy on runs.epoch', async () => {
    const store = useRunsStore()
    await store.load()
    store.connect()
    const record = { epoch: 3, loss: 0.4, accuracy: 0.85, valLoss: 0.45, valAccuracy: 0.84, learningRate: 0.001, durationMs: 900 }
    fake.emit('runs.epoch', { runId: 3, record })
    expect(store.get(3)?.epochsDone).toBe(3)
    expect(store.get(3)?.bestValAccuracy).toBeCloseTo(0.84)
    fake.emit('runs.epoch', { runId: 3, record: { ...record, epoch: 4, valAccuracy: 0.8 } })
    expect(store.get(3)?.bestValAccuracy).toBeCloseTo(0.84)
    expect(store.get(3)?.epochsDone).toBe(4)
  })

  it('filters by text, preset, status and tag, and sorts with missing values last', async () => {
    const store = useRunsStore()
    await store.load()
    store.filter = { ...store.filter, text: 'deep' }
    expect(store.visible.map((r) => r.id)).toEqual([2])
    store.filter = { text: '', presets: ['dense', 'cnn-bn'], statuses: [], tags: [] }
    expect(store.visible.map((r) => r.id).sort()).toEqual([1, 3])
    store.filter = { text: '', presets: [], statuses: ['running'], tags: [] }
    expect(store.visible.map((r) => r.id)).toEqual([3])
    store.filter = { text: '', presets: [], statuses: [], tags: ['baseline', 'cnn'] }
    expect(store.visible.map((r) => r.id)).toEqual([2])
    store.resetFilter()
    store.sort = { key: 'testAccuracy', order: 'descend' }
    expect(store.visible.map((r) => r.id)).toEqual([2, 1, 3])
    store.sort = { key: 'testAccuracy', order: 'ascend' }
    expect(store.visible.map((r) => r.id)).toEqual([1, 2, 3])
    expect(store.tags).toEqual(['baseline', 'cnn'])
  })

  it('throws ApiRequestError with code and field errors when main refuses', async () => {
    fake = installFakeAtelier({
      'runs.start': () => ({
        ok: false,
        error: { code: 'invalid_request', message: 'bad', fieldErrors: [{ path: 'hparams.epochs', message: 'too big' }] }
      })
    })
    const store = useRunsStore()
    const err = await store.start({} as never).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiRequestError)
    expect((err as ApiRequestError).code).toBe('invalid_request')
    expect((err as ApiRequestError).fieldErrors).toEqual([{ path: 'hparams.epochs', message: 'too big' }])
    expect(store.all).toHaveLength(0)
  })

  it('filters and sorts 5,000 runs', async () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      makeRun({ id: i + 1, preset: i % 2 ? 'dense' : 'cnn-bn', testAccuracy: (i % 100) / 100 })
    )
    fake = installFakeAtelier({ 'runs.list': () => many })
    const store = useRunsStore()
    await store.load()
    store.filter = { text: '', presets: ['cnn-bn'], statuses: [], tags: [] }
    store.sort = { key: 'testAccuracy', order: 'descend' }
    expect(store.visible).toHaveLength(2500)
    expect(store.visible[0].testAccuracy).toBe(0.98)
    // How fast: npm run bench:ui (Experiments with 1,000 runs, filter answering), not a limit here.
  })
})

describe('useLiveStore', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('tracks the running epoch from runs.progress and drops it when the epoch lands', () => {
    const fake = installFakeAtelier()
    const live = useLiveStore()
    live.connect()
    const base = { runId: 7, epoch: 2, epochs: 4, batches: 100, imagesPerSec: 1200, etaSeconds: 30 }
    fake.emit('runs.progress', { ...base, batch: 25, loss: 0.6, accuracy: 0.7 })
    fake.emit('runs.progress', { ...base, batch: 50, loss: 0.5, accuracy: 0.75 })
    expect(live.points.get(7)?.map((p) => p.x)).toEqual([1.25, 1.5])
    expect(live.fraction(live.progress.get(7)!)).toBeCloseTo(1.5 / 4)
    fake.emit('runs.progress', { ...base, epoch: 3, batch: 10, loss: 0.4, accuracy: 0.8 })
    expect(live.points.get(7)?.map((p) => p.x)).toEqual([2.1])
    const record = { epoch: 3, loss: 0.4, accuracy: 0.8, valLoss: 0.45, valAccuracy: 0.8, learningRate: 0.001, durationMs: 1 }
    fake.emit('runs.epoch', { runId: 7, record })
    expect(live.points.has(7)).toBe(false)
    fake.emit('runs.updated', { ...makeRun({ id: 7 }), status: 'completed' })
    expect(live.progress.has(7)).toBe(false)
  })

  it('keeps the trainer phase of a starting (still queued) run and forgets it when the run ends', () => {
    const fake = installFakeAtelier()
    const live = useLiveStore()
    live.connect()
    fake.emit('runs.phase', { runId: 8, phase: 'starting' })
    fake.emit('runs.updated', makeRun({ id: 8, status: 'queued', version: 2 }))
    expect(live.phases.get(8)).toBe('starting')
    fake.emit('runs.phase', { runId: 8, phase: 'evaluating' })
    expect(live.phases.get(8)).toBe('evaluating')
    fake.emit('runs.updated', makeRun({ id: 8, status: 'cancelled', version: 3 }))
    expect(live.phases.has(8)).toBe(false)
  })
})
