import { describe, expect, it } from 'vitest'
import { BUILTINS, isBuiltin } from '@shared/dataset'
import { PROVEN_RECIPE_IDS, PROVEN_RECIPES, provenRecipeHparams } from '@shared/proven-recipes'
import { presetMisfit, type PresetId } from '@shared/presets'
import { runMemoryMisfit } from '@shared/run-architecture'

describe('proven recipes', () => {
  it.each(PROVEN_RECIPE_IDS)('%s trains on its built-in dataset and measured what its title promises', (id) => {
    const r = PROVEN_RECIPES[id]
    expect(isBuiltin(r.hparams.dataset)).toBe(true)
    const data = BUILTINS[r.hparams.dataset as keyof typeof BUILTINS]
    expect(presetMisfit(r.hparams.preset as PresetId, data.shape, data.classNames.length)).toBeNull()
    expect(runMemoryMisfit(r.hparams, data.shape, data.classNames.length, data.trainCount)).toBeNull()
    const promised = Number(/above (\d+(?:\.\d+)?) %/.exec(r.title)?.[1])
    const measured = Number(/test accuracy (\d+\.\d+) %/.exec(r.measured)?.[1])
    expect(measured).toBeGreaterThan(promised)
  })

  it('hands out copies: editing one does not change the recipe', () => {
    const h = provenRecipeHparams('fashion-mnist-93')
    h.recipe.augment.flip = false
    h.epochs = 1
    expect(PROVEN_RECIPES['fashion-mnist-93'].hparams.recipe.augment.flip).toBe(true)
    expect(PROVEN_RECIPES['fashion-mnist-93'].hparams.epochs).toBe(20)
  })
})
