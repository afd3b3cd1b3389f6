import { describe, expect, it } from 'vitest'
import { logSpaced, MAX_SWEEP_RUNS, ONE_DATASET_MESSAGE, sweepRunCount, sweepSpecSchema, type SweepSpec } from '@shared/sweep'

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
