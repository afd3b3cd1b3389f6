import { describe, expect, it } from 'vitest'
import {
  logSpaced,
  MAX_SWEEP_RUNS,
  ONE_DATASET_MESSAGE,
  sweepConfigCount,
  sweepModels,
  sweepRunCount,
  sweepSpecSchema,
  type SweepSpec
} from '@shared/sweep'

const grid: SweepSpec = {
  preset: 'dense',
  dataset: 'fashion-mnist',
  mode: 'grid',
  learningRate: { min: 0.0001, max: 0.01, count: 3 },
  batchSizes: [32, 64],
  epochs: [1],
  validationSplits: [0.1, 0.2],
  seeds: { base: 42, count: 3 },
  trainSubset: 1000
}

describe('sweep spec', () => {
  it('counts grid runs as the product of the value lists times the seeds', () => {
    expect(sweepRunCount(grid)).toBe(3 * 2 * 1 * 2 * 3)
    expect(sweepRunCount({ ...grid, mode: 'random', trials: 7 })).toBe(7 * 3)
  })

  it('spaces learning rates evenly on a log scale', () => {
    expect(logSpaced(0.0001, 0.01, 3)).toEqual([0.0001, 0.001, 0.01])
    expect(logSpaced(0.001, 0.1, 5)).toEqual([0.001, 0.00316, 0.01, 0.0316, 0.1])
    expect(logSpaced(0.003, 0.1, 1)).toEqual([0.003])
  })

  it('refuses sweeps over the run limit, random searches without trials and repeated values', () => {
    const big = sweepSpecSchema.safeParse({ ...grid, learningRate: { min: 0.0001, max: 0.01, count: 20 } })
    expect(big.success).toBe(false)
    expect(big.error!.issues[0]!.message).toMatch(new RegExp(`queue 240 runs; at most ${MAX_SWEEP_RUNS}`))
    expect(sweepSpecSchema.safeParse({ ...grid, mode: 'random' }).error!.issues[0]!.path).toEqual(['trials'])
    expect(sweepSpecSchema.safeParse({ ...grid, batchSizes: [32, 32] }).success).toBe(false)
    expect(sweepSpecSchema.safeParse({ ...grid, learningRate: { min: 0.1, max: 0.01, count: 2 } }).success).toBe(false)
    expect(sweepSpecSchema.safeParse(grid).success).toBe(true)
  })

  it('trains on one named dataset, Fashion-MNIST unless told, and refuses a sweep over datasets', () => {
    const { dataset: _default, ...unnamed } = grid
    expect(sweepSpecSchema.parse(unnamed).dataset).toBe('fashion-mnist')
    expect(sweepSpecSchema.parse({ ...grid, dataset: 'mnist' }).dataset).toBe('mnist')
    const list = sweepSpecSchema.safeParse({ ...grid, dataset: ['mnist', 'fashion-mnist'] })
    expect(list.success).toBe(false)
    expect(list.error!.issues[0]!).toMatchObject({ path: ['dataset'], message: expect.stringMatching(/^a sweep trains on one dataset/) })
    const datasets = sweepSpecSchema.safeParse({ ...grid, datasets: ['mnist', 'kmnist'] })
    expect(datasets.success).toBe(false)
    expect(datasets.error!.issues.map((i) => i.message)).toContain(ONE_DATASET_MESSAGE)
    expect(sweepSpecSchema.safeParse({ ...grid, dataset: 'Not A Name' }).success).toBe(false)
    // The parsed spec never carries the refused key.
    expect('datasets' in sweepSpecSchema.parse(grid)).toBe(false)
  })
})

describe('sweep spec: recipe and architecture dimensions', () => {
  const tiny = { name: 'tiny', layers: [{ kind: 'flatten' }, { kind: 'dense', units: 8 }] }

  it('takes optional lists of optimizers, schedules, augmentations, presets and architectures', () => {
    const spec = sweepSpecSchema.parse({
      ...grid,
      learningRate: { min: 0.001, max: 0.001, count: 1 },
      seeds: { base: 1, count: 1 },
      optimizers: ['adam', 'sgd'],
      schedules: ['constant', 'cosine'],
      augments: [{}, { shift: 2, flip: true }],
      presets: ['dense', 'cnn-bn'],
      architectures: [tiny]
    })
    expect(sweepConfigCount(spec)).toBe(2 * 2 * 2 * 2 * 2 * 3)
    expect(spec.augments).toEqual([
      { shift: 0, flip: false, erase: 0 },
      { shift: 2, flip: true, erase: 0 }
    ])
    expect(sweepModels(spec).map((m) => m.architecture?.name ?? m.preset)).toEqual(['dense', 'cnn-bn', 'tiny'])
    expect(sweepModels({ ...spec, presets: undefined }).map((m) => m.preset)).toEqual(['custom'])
  })

  it('multiplies every list into the grid count, and keeps the 200-run limit on the product', () => {
    const spec: SweepSpec = { ...grid, optimizers: ['adam', 'sgd'], schedules: ['constant', 'cosine', 'step'] }
    expect(sweepRunCount(spec)).toBe(3 * 2 * 2 * 3 * 2 * 3)
    const over = sweepSpecSchema.safeParse(spec)
    expect(over.success).toBe(false)
    expect(over.error!.issues[0]!.message).toMatch(/queue 216 runs; at most 200/)
    const models = sweepSpecSchema.safeParse({ ...grid, seeds: { base: 1, count: 1 }, presets: ['dense', 'cnn-bn'], architectures: [tiny] })
    expect(sweepRunCount(models.data!)).toBe(12 * 3)
    expect(sweepModels(models.data!)).toHaveLength(3)
    // A random search draws its trials whatever the lists.
    expect(sweepRunCount({ ...grid, mode: 'random', trials: 5, optimizers: ['adam', 'sgd'] })).toBe(5 * 3)
  })

  it('names the problem: empty lists, unknown values, duplicates, a preset that is not swept', () => {
    const issue = (extra: object) => {
      const r = sweepSpecSchema.safeParse({ ...grid, ...extra })
      expect(r.success, JSON.stringify(extra)).toBe(false)
      return r.error!.issues[0]!
    }
    expect(issue({ optimizers: [] })).toMatchObject({ path: ['optimizers'], message: 'give at least one optimizer' })
    expect(issue({ optimizers: ['adam', 'lion'] })).toMatchObject({
      path: ['optimizers', 1],
      message: 'unknown optimizer "lion": choose adam, adamw, sgd, rmsprop'
    })
    expect(issue({ optimizers: ['sgd', 'sgd'] }).message).toBe('each optimizer only once')
    expect(issue({ schedules: ['linear'] }).message).toMatch(/^unknown schedule "linear"/)
    expect(issue({ augments: [{ flip: true }, { flip: true, shift: 0 }] }).message).toBe('each augmentation only once')
    expect(issue({ augments: [{ shift: -1 }] }).path).toEqual(['augments', 0, 'shift'])
    expect(issue({ presets: ['dense', 'resnet50'] }).message).toMatch(/^unknown preset "resnet50"/)
    expect(issue({ presets: ['cnn-bn'] })).toMatchObject({ path: ['preset'], message: expect.stringMatching(/one of the swept presets/) })
    expect(issue({ architectures: [tiny, { ...tiny }] }).message).toBe('each architecture only once')
    expect(issue({ architectures: [{ name: 'broken', layers: [{ kind: 'nope' }] }] }).path[0]).toBe('architectures')
  })

  it('reads a spec stored before these dimensions existed unchanged, none of them present', () => {
    const stored = JSON.parse(JSON.stringify(grid)) as unknown
    const spec = sweepSpecSchema.parse(stored)
    expect(spec).toEqual(grid)
    expect(sweepModels(spec)).toEqual([{ preset: 'dense', architecture: null }])
    expect(sweepConfigCount(spec)).toBe(3 * 2 * 1 * 2)
  })
})
