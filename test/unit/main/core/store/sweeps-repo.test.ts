/** The sweeps table: every run's configuration read from its hyperparameters, and the best configuration over its seeds. */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { defaultHparams, type Hparams } from '@shared/hparams'
import { sweepSpecSchema, type SweepSpec } from '@shared/sweep'
import type { RunStore } from '@main/core/store'
import { WASM_BACKEND, epochRecord, sampleMetrics, samplePredictions } from './fixtures/sample-run'
import { describeStore, openTestStore } from './fixtures/test-store'

let store: RunStore
beforeEach(async () => {
  store = await openTestStore()
})
afterEach(() => store.close())

const base: SweepSpec = {
  preset: 'dense',
  dataset: 'fashion-mnist',
  mode: 'grid',
  learningRate: { min: 0.001, max: 0.001, count: 1 },
  batchSizes: [64],
  epochs: [2],
  validationSplits: [0.1],
  seeds: { base: 1, count: 2 },
  trainSubset: null
}

/** A run of the sweep with `change` applied to dense's defaults, finished with `testAccuracy` when given. */
async function run(change: (h: Hparams) => Hparams, seed: number, testAccuracy?: number): Promise<number> {
  const hparams = change({ ...defaultHparams('dense'), epochs: 2, seed })
  const { id } = await store.runs.insert({ name: `seed ${seed}`, hparams, appVersion: 't' })
  if (testAccuracy === undefined) return id
  await store.runs.markRunning(id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: '2025-03-01T10:00:00.000Z' })
  await store.epochs.append(id, epochRecord(1))
  await store.results.save(id, { ...sampleMetrics(), testAccuracy }, samplePredictions(10_000, seed))
  await store.runs.finish(id, { status: 'completed', finishedAt: '2025-03-01T11:00:00.000Z' })
  return id
}

const optimizer = (name: Hparams['recipe']['optimizer']) => (h: Hparams) => ({ ...h, recipe: { ...h.recipe, optimizer: name } })

describeStore('sweeps repository', () => {
  it('groups seeds by the whole configuration, optimizer included, and names the best one with its recipe and model', async () => {
    const spec = sweepSpecSchema.parse({ ...base, optimizers: ['adam', 'sgd'], presets: ['dense'] })
    const sweepId = await store.sweeps.insert({ name: 'optimizers', spec })
    // Same learning rate, batch, epochs and split: only the optimizer tells the two configurations apart.
    // One sgd seed is best on its own (0.9), but adam is better on average (0.85 against 0.7).
    const ids = [
      await run(optimizer('adam'), 1, 0.84),
      await run(optimizer('adam'), 2, 0.86),
      await run(optimizer('sgd'), 1, 0.9),
      await run(optimizer('sgd'), 2, 0.5)
    ]
    await store.sweeps.assign(sweepId, ids)
    const sweep = (await store.sweeps.get(sweepId))!
    expect(sweep.spec).toEqual(spec)
    expect(sweep.runs.map((r) => [r.optimizer, r.schedule, r.model, r.augment])).toEqual([
      ['adam', 'constant', 'dense', { shift: 0, flip: false, erase: 0 }],
      ['adam', 'constant', 'dense', { shift: 0, flip: false, erase: 0 }],
      ['sgd', 'constant', 'dense', { shift: 0, flip: false, erase: 0 }],
      ['sgd', 'constant', 'dense', { shift: 0, flip: false, erase: 0 }]
    ])
    expect(sweep.best).toMatchObject({ optimizer: 'adam', model: 'dense', learningRate: 0.001, runId: ids[1] })
    expect(sweep.best!.testAccuracy.n).toBe(2)
    expect(sweep.best!.testAccuracy.mean).toBeCloseTo(0.85, 12)
    expect((await store.sweeps.list())[0]!.best).toEqual(sweep.best)
  })

  it('tells custom architectures and augmentations apart', async () => {
    const tiny = { name: 'tiny', layers: [{ kind: 'flatten' as const }, { kind: 'output' as const }] }
    const spec = sweepSpecSchema.parse({ ...base, architectures: [tiny], augments: [{}, { flip: true }] })
    const sweepId = await store.sweeps.insert({ name: 'models', spec })
    const custom = (h: Hparams): Hparams => ({ ...h, preset: 'custom', architecture: spec.architectures![0]! })
    const flip = (h: Hparams): Hparams => ({ ...h, recipe: { ...h.recipe, augment: { shift: 0, flip: true, erase: 0 } } })
    const ids = [await run(custom, 1, 0.6), await run(custom, 2, 0.6), await run((h) => flip(custom(h)), 1, 0.7), await run(flip, 1)]
    await store.sweeps.assign(sweepId, ids)
    const sweep = (await store.sweeps.get(sweepId))!
    expect(sweep.runs.map((r) => [r.model, r.augment.flip])).toEqual([
      ['custom: tiny', false],
      ['custom: tiny', false],
      ['custom: tiny', true],
      ['dense', true]
    ])
    expect(sweep.best).toMatchObject({ model: 'custom: tiny', augment: { flip: true }, runId: ids[2], groupId: null })
  })

  it('reads a sweep stored before recipes and architectures could be swept exactly as before', async () => {
    // The spec column as an earlier version wrote it, and runs whose hyperparameters have no recipe.
    const sweepId = await store.sweeps.insert({ name: 'old', spec: base })
    const ids = [
      await run(({ recipe: _r, ...h }) => h as Hparams, 1, 0.8),
      await run(({ recipe: _r, ...h }) => ({ ...h, learningRate: 0.01 }) as Hparams, 1, 0.82)
    ]
    await store.sweeps.assign(sweepId, ids)
    const sweep = (await store.sweeps.get(sweepId))!
    expect(sweep.spec).toEqual(base)
    expect(sweep.best).toMatchObject({ learningRate: 0.01, optimizer: 'adam', schedule: 'constant', model: 'dense', runId: ids[1] })
  })
})
