import { describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { SweepSpec } from '@shared/sweep'
import { sweepConfigs, sweepHparams } from '@main/core/runs/sweep-plan'

const spec: SweepSpec = {
  preset: 'cnn-bn',
  dataset: 'fashion-mnist',
  mode: 'grid',
  learningRate: { min: 0.001, max: 0.01, count: 2 },
  batchSizes: [32, 128],
  epochs: [1, 3],
  validationSplits: [0.1],
  seeds: { base: 7, count: 2 },
  trainSubset: 1000
}

describe('sweep plan', () => {
  it('lists every grid combination once, learning rate outermost', () => {
    const configs = sweepConfigs(spec)
    expect(configs).toHaveLength(8)
    expect(new Set(configs.map((c) => JSON.stringify(c))).size).toBe(8)
    expect(configs[0]).toEqual({ learningRate: 0.001, batchSize: 32, epochs: 1, validationSplit: 0.1 })
    expect(configs[7]).toEqual({ learningRate: 0.01, batchSize: 128, epochs: 3, validationSplit: 0.1 })
  })

  it('draws random configurations reproducibly, learning rates log-uniform within the range', () => {
    const random: SweepSpec = { ...spec, mode: 'random', learningRate: { min: 1e-5, max: 1e-1, count: 1 }, trials: 400, drawSeed: 3 }
    const a = sweepConfigs(random)
    expect(a).toEqual(sweepConfigs(random))
    expect(sweepConfigs({ ...random, drawSeed: 4 })).not.toEqual(a)
    expect(a.every((c) => c.learningRate >= 1e-5 && c.learningRate <= 1e-1)).toBe(true)
    // Log-uniform over four decades: about a quarter of the draws fall in each decade.
    const perDecade = [0, 1, 2, 3].map((d) => a.filter((c) => Math.floor(-Math.log10(c.learningRate)) === 4 - d).length)
    perDecade.forEach((n) => expect(n).toBeGreaterThan(60))
    expect(new Set(a.map((c) => c.batchSize))).toEqual(new Set([32, 128]))
  })

  it('keeps every unswept hyperparameter at the preset default', () => {
    const h = sweepHparams(spec, sweepConfigs(spec)[3]!, 8)
    expect(h).toEqual({
      ...defaultHparams('cnn-bn'),
      learningRate: 0.001,
      batchSize: 128,
      epochs: 3,
      validationSplit: 0.1,
      seed: 8,
      trainSubset: 1000
    })
  })

  it("trains every configuration on the spec's one dataset", () => {
    const mnist: SweepSpec = { ...spec, dataset: 'mnist' }
    const all = sweepConfigs(mnist).flatMap((c) => [7, 8].map((seed) => sweepHparams(mnist, c, seed)))
    expect(new Set(all.map((h) => h.dataset))).toEqual(new Set(['mnist']))
  })
})
