import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError, parseCommandLine } from '@main/cli/args'
import { hparamsFromFlags } from '@main/cli/train-command'
import { PROVEN_RECIPES } from '@shared/proven-recipes'

const flags = (...argv: string[]) => parseCommandLine(['train', ...argv]).flags

describe('train flags', () => {
  it('fill the preset defaults and apply each flag', () => {
    const h = hparamsFromFlags(
      flags(
        '--model',
        'cnn-bn',
        '--epochs',
        '3',
        '--batch-size',
        '128',
        '--lr',
        '0.01',
        '--val-split',
        '0.2',
        '--seed',
        '7',
        '--subset',
        '2000',
        '--early-stop-patience',
        '4'
      )
    )
    expect(h).toMatchObject({
      preset: 'cnn-bn',
      epochs: 3,
      batchSize: 128,
      learningRate: 0.01,
      validationSplit: 0.2,
      seed: 7,
      trainSubset: 2000
    })
    expect(h.earlyStopping).toMatchObject({ enabled: true, patience: 4 })
    expect(h.reduceLrOnPlateau.enabled).toBe(true)
    expect(hparamsFromFlags(flags('--model', 'cnn-bn', '--no-reduce-lr')).reduceLrOnPlateau.enabled).toBe(false)
  })

  it('name the flag in every rejection', () => {
    const bad: [string[], RegExp][] = [
      [['--model', 'vgg'], /unknown model "vgg"/],
      [[], /--model is required/],
      [['--model', 'dense', '--epochs', '501'], /^--epochs/],
      [['--model', 'dense', '--epochs', '2.5'], /--epochs must be a whole number/],
      [['--model', 'dense', '--val-split', '0.9'], /^--val-split/],
      [['--model', 'dense', '--subset', '50'], /^--subset/],
      [['--model', 'dense', '--lr', 'fast'], /--lr must be a number/]
    ]
    for (const [argv, message] of bad) {
      expect(() => hparamsFromFlags(flags(...argv)), argv.join(' ')).toThrow(message)
    }
    expect(() => parseCommandLine(['train', '--wat'])).toThrow(UsageError)
  })
})

describe('--arch', () => {
  const file = resolve(import.meta.dirname, '../../../../examples/architectures/small-resnet.json')

  it('trains the file as a custom run that keeps the architecture', () => {
    const h = hparamsFromFlags(flags('--arch', file, '--epochs', '2'))
    expect(h.preset).toBe('custom')
    expect(h.architecture?.name).toBe('small-resnet')
    expect(h.architecture?.layers).toHaveLength(10)
    expect(h.epochs).toBe(2)
  })

  it('refuses both flags, an unreadable file and a malformed one in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-arch-flag-'))
    try {
      const malformed = join(dir, 'bad.json')
      writeFileSync(malformed, '{ "name": "bad", "layers": [ { "kind": "conv2d", "filters": 0, "kernel": 3 } ] }')
      const notJson = join(dir, 'not.json')
      writeFileSync(notJson, '{ "name": "bad", ')
      const bad: [string[], RegExp][] = [
        [['--model', 'dense', '--arch', file], /^give either --model PRESET or --arch FILE\.json, not both/],
        [['--arch', join(dir, 'missing.json')], /^cannot read .*missing\.json/],
        [['--arch', malformed], /bad\.json: layer 0 \(conv2d\) field "filters": must be at least 1, not 0$/],
        [['--arch', notJson], /not\.json: not valid JSON at line 1/]
      ]
      for (const [argv, message] of bad) {
        expect(() => hparamsFromFlags(flags(...argv)), argv.join(' ')).toThrow(UsageError)
        expect(() => hparamsFromFlags(flags(...argv)), argv.join(' ')).toThrow(message)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('--dataset', () => {
  it('names the dataset to train on, Fashion-MNIST by default', async () => {
    expect(hparamsFromFlags(flags('--model', 'dense')).dataset).toBe('fashion-mnist')
    expect(hparamsFromFlags(flags('--model', 'dense', '--dataset', 'my-photos')).dataset).toBe('my-photos')
    const { sweepSpecFromFlags } = await import('@main/cli/sweep-command')
    const sweep = (...argv: string[]) => sweepSpecFromFlags(parseCommandLine(['sweep', ...argv]).flags)
    expect(sweep('--model', 'dense', '--dataset', 'mnist').dataset).toBe('mnist')
    expect(sweep('--model', 'dense').dataset).toBe('fashion-mnist')
  })

  it('refuses a name that cannot be a dataset, naming the flag', async () => {
    expect(() => hparamsFromFlags(flags('--model', 'dense', '--dataset', 'My Photos'))).toThrow(/^--dataset: use 1–40 lower-case letters/)
    const { sweepSpecFromFlags } = await import('@main/cli/sweep-command')
    expect(() => sweepSpecFromFlags(parseCommandLine(['sweep', '--model', 'dense', '--dataset', 'X']).flags)).toThrow(/^--dataset: /)
  })
})

describe('train --recipe', () => {
  it('trains a proven recipe as measured: its model, dataset and every setting', () => {
    const h = hparamsFromFlags(flags('--recipe', 'fashion-mnist-93'))
    expect(h).toEqual(PROVEN_RECIPES['fashion-mnist-93'].hparams)
    expect(h).toMatchObject({ preset: 'cnn-bn', dataset: 'fashion-mnist', recipe: { optimizer: 'adamw', schedule: 'cosine' } })
  })

  it('lets other flags change one setting and keeps the rest of the recipe', () => {
    const h = hparamsFromFlags(flags('--recipe', 'fashion-mnist-93', '--epochs', '5', '--warmup-epochs', '2', '--model', 'cnn-deep'))
    expect(h).toMatchObject({ preset: 'cnn-deep', epochs: 5, batchSize: 128, recipe: { optimizer: 'adamw', warmupEpochs: 2 } })
    expect(h.recipe.augment).toEqual(PROVEN_RECIPES['fashion-mnist-93'].hparams.recipe.augment)
  })

  it('refuses an unknown recipe by name, listing the proven ones', () => {
    expect(() => hparamsFromFlags(flags('--recipe', 'fashion-99'))).toThrow(UsageError)
    expect(() => hparamsFromFlags(flags('--recipe', 'fashion-99'))).toThrow(/unknown recipe "fashion-99".*fashion-mnist-93/)
  })

  it('checks a change against the recipe: warmup as long as the shortened run is refused', () => {
    expect(() => hparamsFromFlags(flags('--recipe', 'fashion-mnist-93', '--epochs', '1'))).toThrow(
      /^--warmup-epochs: must be fewer than the epochs .*; recipe fashion-mnist-93 sets this, give --warmup-epochs to change it$/
    )
    // A value given here is the person's own: no word of the recipe.
    expect(() => hparamsFromFlags(flags('--recipe', 'fashion-mnist-93', '--epochs', '2', '--warmup-epochs', '3'))).toThrow(
      /^--warmup-epochs: must be fewer than the epochs \(warmup must end before training does\)$/
    )
  })
})
