/** The recipe inside the hyperparameters: old runs parse unchanged to the defaults; out-of-range values are refused by field. */
import { describe, expect, it } from 'vitest'
import { defaultHparams, parseHparams } from '@shared/hparams'
import { DEFAULT_RECIPE, describeRecipe } from '@shared/recipe'

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
    [{ extra: 1 }, 'recipe', /./]
  ])('refuses %j at %s', (recipe, path, message) => {
    const errors = errorsOf({ ...stored(), epochs: 10, recipe })
    expect(errors).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })])
  })

  it('says what a recipe is in one line', () => {
    expect(describeRecipe(DEFAULT_RECIPE)).toBe('adam · constant')
    expect(
      describeRecipe({ ...DEFAULT_RECIPE, optimizer: 'sgd', nesterov: true, schedule: 'cosine', warmupEpochs: 2, labelSmoothing: 0.1 })
    ).toBe('sgd (momentum 0.9, nesterov) · cosine, warmup 2 · label smoothing 0.1')
  })
})
