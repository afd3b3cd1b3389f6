import { describe, expect, it } from 'vitest'
import { defaultHparams, parseHparams } from '@shared/hparams'
import { sweepSpecSchema, type SweepSpec } from '@shared/sweep'
import { sweepConfigKey, sweepConfigOf } from '@shared/sweep-config'
import { configLabel, sweepConfigs, sweepHparams } from '@main/core/runs/sweep-plan'

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

describe('sweep plan: recipe and architecture dimensions', () => {
  const tiny = { name: 'tiny', layers: [{ kind: 'flatten' as const }, { kind: 'dense' as const, units: 8 }] }
  const wide: SweepSpec = {
    ...spec,
    preset: 'dense',
    learningRate: { min: 0.001, max: 0.001, count: 1 },
    batchSizes: [64],
    epochs: [2],
    optimizers: ['adam', 'sgd'],
    schedules: ['constant', 'cosine'],
    augments: [
      { shift: 0, flip: false, erase: 0 },
      { shift: 2, flip: true, erase: 0 }
    ],
    presets: ['dense', 'cnn-bn'],
    architectures: [sweepSpecSchema.parse({ ...spec, architectures: [tiny] }).architectures![0]!]
  }

  it('multiplies every list into the grid, each combination once, the model innermost', () => {
    const configs = sweepConfigs(wide)
    expect(configs).toHaveLength(2 * 2 * 2 * 3)
    const hparams = configs.map((c) => sweepHparams(wide, c, 7))
    const keys = hparams.map((h) => sweepConfigKey(sweepConfigOf(h)))
    expect(new Set(keys).size).toBe(24)
    expect(hparams.slice(0, 3).map((h) => sweepConfigOf(h).model)).toEqual(['dense', 'cnn-bn', 'custom: tiny'])
    expect(new Set(hparams.map((h) => h.recipe.optimizer))).toEqual(new Set(['adam', 'sgd']))
  })

  it('builds each configuration from the base preset’s defaults plus the swept values, nothing else', () => {
    const [config] = sweepConfigs({ ...wide, optimizers: ['sgd'], schedules: ['cosine'], augments: [{ shift: 2, flip: true, erase: 0 }] })
    const base = defaultHparams('dense')
    expect(sweepHparams(wide, config!, 9)).toEqual({
      ...base,
      learningRate: 0.001,
      batchSize: 64,
      epochs: 2,
      validationSplit: 0.1,
      seed: 9,
      trainSubset: 1000,
      // The optimizer keeps the base recipe's momentum and weight decay.
      recipe: { ...base.recipe, optimizer: 'sgd', schedule: 'cosine', augment: { shift: 2, flip: true, erase: 0 } }
    })
    const custom = sweepConfigs(wide).find((c) => c.model?.preset === 'custom')!
    expect(sweepHparams(wide, custom, 9)).toMatchObject({ preset: 'custom', architecture: { name: 'tiny' } })
    expect(parseHparams(sweepHparams(wide, custom, 9)).ok).toBe(true)
  })

  it('draws random configurations from the lists, reproducibly', () => {
    const random: SweepSpec = { ...wide, mode: 'random', learningRate: { min: 1e-4, max: 1e-2, count: 1 }, trials: 200, drawSeed: 5 }
    const a = sweepConfigs(random).map((c) => sweepConfigOf(sweepHparams(random, c, 1)))
    expect(a).toEqual(sweepConfigs(random).map((c) => sweepConfigOf(sweepHparams(random, c, 1))))
    expect(sweepConfigs({ ...random, drawSeed: 6 })).not.toEqual(sweepConfigs(random))
    expect(a.every((c) => c.learningRate >= 1e-4 && c.learningRate <= 1e-2)).toBe(true)
    expect(new Set(a.map((c) => c.optimizer))).toEqual(new Set(['adam', 'sgd']))
    expect(new Set(a.map((c) => c.schedule))).toEqual(new Set(['constant', 'cosine']))
    expect(new Set(a.map((c) => c.augment.flip))).toEqual(new Set([false, true]))
    expect(new Set(a.map((c) => c.model))).toEqual(new Set(['dense', 'cnn-bn', 'custom: tiny']))
  })

  it('plans a spec without the new lists exactly as before: same draws, same labels', () => {
    const random: SweepSpec = { ...spec, mode: 'random', trials: 3, drawSeed: 11 }
    // What the planner drew for this spec before the recipe dimensions existed.
    expect(sweepConfigs(random)).toEqual([
      { learningRate: 0.00325, batchSize: 128, epochs: 3, validationSplit: 0.1 },
      { learningRate: 0.00709, batchSize: 128, epochs: 1, validationSplit: 0.1 },
      { learningRate: 0.00405, batchSize: 32, epochs: 1, validationSplit: 0.1 }
    ])
    const h = sweepHparams(spec, sweepConfigs(spec)[0]!, 7)
    expect(configLabel(sweepConfigOf(h), spec)).toBe('lr 0.001 · batch 32 · 1 ep · val 10%')
    expect(configLabel(sweepConfigOf(sweepHparams(wide, sweepConfigs(wide)[3]!, 7)), wide)).toBe(
      'lr 0.001 · batch 64 · 2 ep · val 10% · adam · constant · augment shift 2 px, flip'
    )
  })
})
