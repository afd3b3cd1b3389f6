/** `train`'s recipe flags reach the hyperparameters; out-of-range or misplaced ones are one line naming the flag. */
import { describe, expect, it } from 'vitest'
import { parseCommandLine } from '@main/cli/args'
import { hparamsFromFlags } from '@main/cli/train-command'
import { DEFAULT_RECIPE } from '@shared/recipe'

const flags = (...argv: string[]) => parseCommandLine(['train', '--model', 'dense', ...argv]).flags

describe('recipe flags', () => {
  it('leave the default recipe (Adam, constant rate, no smoothing) when absent', () => {
    expect(hparamsFromFlags(flags()).recipe).toEqual(DEFAULT_RECIPE)
  })

  it('set every recipe field', () => {
    const h = hparamsFromFlags(
      flags(
        '--epochs',
        '8',
        '--optimizer',
        'sgd',
        '--momentum',
        '0.8',
        '--nesterov',
        '--weight-decay',
        '0.0005',
        '--schedule',
        'cosine',
        '--warmup-epochs',
        '2',
        '--label-smoothing',
        '0.1'
      )
    )
    expect(h.recipe).toEqual({
      optimizer: 'sgd',
      momentum: 0.8,
      nesterov: true,
      weightDecay: 0.0005,
      schedule: 'cosine',
      warmupEpochs: 2,
      labelSmoothing: 0.1,
      augment: DEFAULT_RECIPE.augment
    })
    expect(hparamsFromFlags(flags('--optimizer', 'adamw', '--weight-decay', '0.01')).recipe).toMatchObject({
      optimizer: 'adamw',
      weightDecay: 0.01
    })
  })

  it('set the augmentation from --augment: items with optional values, or none', () => {
    const augment = (value: string) => hparamsFromFlags(flags('--augment', value)).recipe.augment
    expect(augment('shift,flip,erase')).toEqual({ shift: 2, flip: true, erase: 0.5 })
    expect(augment('shift=3,erase=0.25')).toEqual({ shift: 3, flip: false, erase: 0.25 })
    expect(augment(' flip ')).toEqual({ shift: 0, flip: true, erase: 0 })
    expect(augment('none')).toEqual(DEFAULT_RECIPE.augment)
    expect(hparamsFromFlags(flags()).recipe.augment).toEqual({ shift: 0, flip: false, erase: 0 })
  })

  it('refuse bad --augment values in one line', () => {
    const bad: [string, RegExp][] = [
      ['rotate', /^--augment: unknown item "rotate"; give a comma-separated list of shift\[=PX\], flip and erase\[=P\], or none$/],
      ['shift,none', /^--augment: "none" stands alone/],
      ['shift=2,shift=3', /^--augment: shift is given twice/],
      ['flip=0.5', /^--augment: flip takes no value/],
      ['erase=lots', /^--augment: erase must be a number, got "lots"$/],
      ['shift=', /^--augment: shift must be a number, got ""$/],
      ['shift=1.5', /^--augment shift: must be a whole number of pixels$/],
      ['shift=-1', /^--augment shift: must be at least 0$/],
      ['shift=100', /^--augment shift: must be at most 64$/],
      ['erase=2', /^--augment erase: must be at most 1$/],
      ['', /^--augment: unknown item ""/]
    ]
    for (const [value, message] of bad) expect(() => hparamsFromFlags(flags(`--augment=${value}`)), value).toThrow(message)
  })

  it('refuse bad values in one line naming the flag', () => {
    const bad: [string[], RegExp][] = [
      [['--optimizer', 'lion'], /^--optimizer must be one of adam, adamw, sgd, rmsprop, got "lion"$/],
      [['--schedule', 'linear'], /^--schedule must be one of constant, step, cosine, onecycle/],
      [['--optimizer', 'sgd', '--momentum=-0.5'], /^--momentum: must be at least 0$/],
      [['--optimizer', 'sgd', '--momentum', '1'], /^--momentum: must be below 1$/],
      [['--momentum', '0.9'], /^--momentum applies to --optimizer sgd or rmsprop, not adam/],
      [['--nesterov'], /^--nesterov applies to --optimizer sgd/],
      [['--weight-decay=-1'], /^--weight-decay: must be at least 0$/],
      [['--label-smoothing', '1'], /^--label-smoothing: must be below 1$/],
      [['--epochs', '3', '--warmup-epochs', '3'], /^--warmup-epochs: must be fewer than the epochs/],
      [['--warmup-epochs', '1.5'], /^--warmup-epochs must be a whole number/]
    ]
    for (const [argv, message] of bad) expect(() => hparamsFromFlags(flags(...argv)), argv.join(' ')).toThrow(message)
  })
})
