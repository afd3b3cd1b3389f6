/** The recipe inside the hyperparameters: old runs parse unchanged to the defaults; out-of-range values are refused by field. */
import { describe, expect, it } from 'vitest'
import { defaultHparams, parseHparams } from '@shared/hparams'
import { DEFAULT_RECIPE, describeRecipe } from '@shared/recipe'
import { augmentMisfit, DEFAULT_AUGMENT, maxShiftFor } from '@shared/augment'

/** Hyperparameters as runs stored them before recipes existed. */
const stored = (): Record<string, unknown> => {
  const { recipe: _recipe, ...rest } = defaultHparams('cnn-bn')
  return rest
}

const errorsOf = (input: unknown) => {
  const r = parseHparams(input)
  return r.ok ? [] : r.errors
}

describe('recipe in the hyperparameters', () => {
  it('gives a stored run without a recipe the defaults: Adam, constant rate, no smoothing', () => {
    const r = parseHparams(stored())
    expect(r.ok && r.value.recipe).toEqual(DEFAULT_RECIPE)
    expect(DEFAULT_RECIPE).toMatchObject({ optimizer: 'adam', schedule: 'constant', warmupEpochs: 0, labelSmoothing: 0, weightDecay: 0 })
    expect(defaultHparams('dense').recipe).toEqual(DEFAULT_RECIPE)
  })

  it('gives a recipe recorded before augmentation existed no augmentation', () => {
    const { augment: _augment, ...before } = DEFAULT_RECIPE
    const r = parseHparams({ ...stored(), recipe: { ...before, optimizer: 'sgd' } })
    expect(r.ok && r.value.recipe.augment).toEqual({ shift: 0, flip: false, erase: 0 })
    expect(DEFAULT_RECIPE.augment).toEqual(DEFAULT_AUGMENT)
  })

  it('fills a partial augmentation from the defaults (off)', () => {
    const r = parseHparams({ ...stored(), recipe: { augment: { flip: true } } })
    expect(r.ok && r.value.recipe.augment).toEqual({ shift: 0, flip: true, erase: 0 })
  })

  it('refuses a shift over a quarter of the image side, naming the largest allowed', () => {
    const augment = { ...DEFAULT_AUGMENT, shift: 8 }
    expect(augmentMisfit(augment, { height: 32, width: 32 })).toBeNull()
    expect(augmentMisfit(augment, { height: 28, width: 28 })).toBe(
      'a shift of 8 px is more than a quarter of the 28×28 images; choose at most 7'
    )
    expect(maxShiftFor({ height: 20, width: 64 })).toBe(5)
  })

  it('fills a partial recipe from the defaults', () => {
    const r = parseHparams({ ...stored(), recipe: { optimizer: 'sgd', nesterov: true } })
    expect(r.ok && r.value.recipe).toEqual({ ...DEFAULT_RECIPE, optimizer: 'sgd', nesterov: true })
  })

  it.each([
    [{ momentum: -0.1 }, 'recipe.momentum', /at least 0/],
    [{ momentum: 1 }, 'recipe.momentum', /below 1/],
    [{ labelSmoothing: 1 }, 'recipe.labelSmoothing', /below 1/],
    [{ labelSmoothing: -0.01 }, 'recipe.labelSmoothing', /at least 0/],
    [{ weightDecay: -1 }, 'recipe.weightDecay', /at least 0/],
    [{ optimizer: 'lion' }, 'recipe.optimizer', /./],
    [{ schedule: 'linear' }, 'recipe.schedule', /./],
    [{ warmupEpochs: 10 }, 'recipe.warmupEpochs', /fewer than the epochs/],
    [{ extra: 1 }, 'recipe', /./],
    [{ augment: { shift: -1 } }, 'recipe.augment.shift', /at least 0/],
    [{ augment: { shift: 1.5 } }, 'recipe.augment.shift', /whole number of pixels/],
    [{ augment: { shift: 65 } }, 'recipe.augment.shift', /at most 64/],
    [{ augment: { erase: 1.5 } }, 'recipe.augment.erase', /at most 1/],
    [{ augment: { erase: -0.1 } }, 'recipe.augment.erase', /at least 0/],
    [{ augment: { flip: 'yes' } }, 'recipe.augment.flip', /./],
    [{ augment: { rotate: 10 } }, 'recipe.augment', /rotate/]
  ])('refuses %j at %s', (recipe, path, message) => {
    const errors = errorsOf({ ...stored(), epochs: 10, recipe })
    expect(errors).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })])
  })

  it('says what a recipe is in one line', () => {
    expect(describeRecipe(DEFAULT_RECIPE)).toBe('adam · constant')
    expect(
      describeRecipe({ ...DEFAULT_RECIPE, optimizer: 'sgd', nesterov: true, schedule: 'cosine', warmupEpochs: 2, labelSmoothing: 0.1 })
    ).toBe('sgd (momentum 0.9, nesterov) · cosine, warmup 2 · label smoothing 0.1')
    expect(describeRecipe({ ...DEFAULT_RECIPE, augment: { shift: 3, flip: true, erase: 0.25 } })).toBe(
      'adam · constant · augment shift 3 px, flip, erase 0.25'
    )
    expect(describeRecipe({ ...DEFAULT_RECIPE, augment: { shift: 0, flip: false, erase: 0.5 } })).toBe(
      'adam · constant · augment erase 0.5'
    )
  })
})
