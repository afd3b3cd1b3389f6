import { describe, expect, it } from 'vitest'
import { parseCommandLine } from '@main/cli/args'
import { architecturesOfArchsFlag, sweepSpecFromFlags } from '@main/cli/sweep-command'
import { repeatsFromFlags } from '@main/cli/train-command'

const flags = (...argv: string[]) => parseCommandLine(['sweep', ...argv]).flags
/** The spec as `sweep` builds it: the architectures `--archs` names read first (files here). */
async function specOf(...argv: string[]) {
  const f = flags(...argv)
  return sweepSpecFromFlags(f, await architecturesOfArchsFlag(f))
}

describe('sweep and repeat flags', () => {
  it('build a grid from ranges and lists, and a random search from --random', () => {
    const grid = sweepSpecFromFlags(
      flags(
        '--model',
        'dense',
        '--lr',
        '0.0001:0.01',
        '--batch-size',
        '32,64',
        '--epochs',
        '1,2',
        '--seeds',
        '3',
        '--seed',
        '10',
        '--subset',
        '1000'
      )
    )
    expect(grid).toMatchObject({
      mode: 'grid',
      learningRate: { min: 0.0001, max: 0.01, count: 3 },
      batchSizes: [32, 64],
      epochs: [1, 2],
      validationSplits: [0.1],
      seeds: { base: 10, count: 3 },
      trainSubset: 1000
    })
    const random = sweepSpecFromFlags(flags('--model', 'cnn-bn', '--random', '5', '--lr', '1e-4:1e-2', '--draw-seed', '9'))
    expect(random).toMatchObject({ mode: 'random', trials: 5, drawSeed: 9, learningRate: { min: 1e-4, max: 1e-2 } })
    expect(sweepSpecFromFlags(flags('--model', 'dense', '--lr', '0.003')).learningRate).toEqual({ min: 0.003, max: 0.003, count: 1 })
  })

  it('name the flag in every rejection', () => {
    const bad: [string[], RegExp][] = [
      [['--model', 'dense', '--batch-size', '32,x'], /--batch-size must be a number/],
      [['--model', 'dense', '--batch-size', '32,32'], /^--batch-size: each batch size only once/],
      [['--model', 'dense', '--lr', '0.1:0.01'], /^--lr: min must not exceed max/],
      [['--model', 'dense', '--lr', '1:2:3'], /--lr takes one rate or a range/],
      [['--model', 'dense', '--val-split', '0.9'], /^--val-split/],
      [['--model', 'dense', '--lr', '0.001:0.01', '--lr-count', '20', '--batch-size', '16,32,64', '--seeds', '4'], /240 runs; at most 200/]
    ]
    for (const [argv, message] of bad) expect(() => sweepSpecFromFlags(flags(...argv)), argv.join(' ')).toThrow(message)
    expect(repeatsFromFlags(parseCommandLine(['train', '--repeats', '3']).flags)).toBe(3)
    expect(repeatsFromFlags(parseCommandLine(['train']).flags)).toBeUndefined()
    expect(() => repeatsFromFlags(parseCommandLine(['train', '--repeats', '21']).flags)).toThrow(/between 2 and 20/)
  })

  it('take lists of optimizers, schedules, augmentations (";" between settings), presets and architecture files', async () => {
    const spec = await specOf(
      ...[
        '--models',
        'cnn-shallow,cnn-bn',
        '--archs',
        'examples/architectures/small-resnet.json',
        '--optimizers',
        'adam,sgd',
        '--schedules',
        'constant,cosine',
        '--augments',
        'none;shift=2,flip',
        '--lr',
        '0.001'
      ]
    )
    expect(spec).toMatchObject({
      preset: 'cnn-shallow',
      presets: ['cnn-shallow', 'cnn-bn'],
      optimizers: ['adam', 'sgd'],
      schedules: ['constant', 'cosine'],
      augments: [
        { shift: 0, flip: false, erase: 0 },
        { shift: 2, flip: true, erase: 0 }
      ]
    })
    expect(spec.architectures!.map((a) => a.name)).toEqual(['small-resnet'])
    // Files alone start from the defaults a custom run has (dense's); --model with files sweeps that preset too.
    const files = await specOf('--archs', 'examples/architectures/small-resnet.json')
    expect(files).toMatchObject({ preset: 'dense' })
    expect(files.presets).toBeUndefined()
    expect((await specOf('--model', 'cnn-bn', '--archs', 'examples/architectures/small-resnet.json')).presets).toEqual(['cnn-bn'])
    // A .json path is a file, never a saved name: one that cannot be read is said before anything else.
    await expect(specOf('--archs', 'examples/architectures/small-resnet.json,no-such-file.json')).rejects.toThrow(
      /^cannot read no-such-file\.json/
    )
    // Without the new flags, the spec has none of the new fields (stored as sweeps always were).
    const plain = sweepSpecFromFlags(flags('--model', 'dense'))
    for (const key of ['optimizers', 'schedules', 'augments', 'presets', 'architectures']) expect(plain).not.toHaveProperty(key)
  })

  it('refuse a bad list value in one line naming the flag', () => {
    const bad: [string[], RegExp][] = [
      [['--model', 'dense', '--optimizers', 'adam,lion'], /^--optimizers: unknown optimizer "lion": choose adam, adamw, sgd, rmsprop$/],
      [['--model', 'dense', '--optimizers', 'sgd,sgd'], /^--optimizers: each optimizer only once$/],
      [['--model', 'dense', '--schedules', 'cosine,'], /^--schedules: unknown schedule ""/],
      [['--model', 'dense', '--augments', 'none;spin'], /^--augments: unknown item "spin"/],
      [['--model', 'dense', '--augments', 'flip;flip'], /^--augments: each augmentation only once$/],
      [['--model', 'dense', '--augments', 'none;shift=999'], /^--augments shift: must be at most/],
      [['--models', 'dense,resnet'], /^--models: unknown preset "resnet"/],
      [['--model', 'dense', '--models', 'dense,cnn-bn'], /not both/],
      [['--model', 'dense', '--arch', 'a.json'], /--archs a\.json,NAME/],
      [['--model', 'dense', '--optimizer', 'sgd'], /sweep takes --optimizers/],
      [['--recipe', 'fashion-mnist-93'], /sweep does not take --recipe: a proven recipe is one run \("train --recipe fashion-mnist-93"\)/],
      [
        [
          '--models',
          'dense,cnn-shallow,cnn-deep,cnn-bn',
          '--optimizers',
          'adam,adamw,sgd,rmsprop',
          '--schedules',
          'constant,step,cosine,onecycle',
          '--seeds',
          '4'
        ],
        /256 runs; at most 200/
      ]
    ]
    for (const [argv, message] of bad) expect(() => sweepSpecFromFlags(flags(...argv)), argv.join(' ')).toThrow(message)
  })
})
