import { describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { DEFAULT_RECIPE } from '@shared/recipe'
import { bestByTestAccuracy, fixedAndBroken, hparamDiff, RUN_PALETTE, runColors } from '@renderer/lib/compareRuns'

describe('compare helpers', () => {
  it('lists only the hyperparameters that differ, by dotted path, in run order', () => {
    const a = { hparams: defaultHparams('dense') }
    const b = { hparams: { ...defaultHparams('cnn-bn'), epochs: 20 } }
    const c = { hparams: { ...defaultHparams('dense'), epochs: 20 } }
    const rows = hparamDiff([a, b, c])
    expect(rows).toEqual([
      { path: 'preset', values: ['dense', 'cnn-bn', 'dense'] },
      { path: 'epochs', values: [10, 20, 20] },
      { path: 'reduceLrOnPlateau.enabled', values: [false, true, false] }
    ])
    expect(hparamDiff([a, { hparams: defaultHparams('dense') }])).toEqual([])
  })

  it('lists the augmentation fields that differ', () => {
    const plain = { hparams: defaultHparams('dense') }
    const shifted = { hparams: { ...defaultHparams('dense'), recipe: { ...DEFAULT_RECIPE, augment: { shift: 3, flip: true, erase: 0 } } } }
    expect(hparamDiff([plain, shifted])).toEqual([
      { path: 'recipe.augment.shift', values: [0, 3] },
      { path: 'recipe.augment.flip', values: [false, true] }
    ])
  })

  it('finds images B fixed and images B broke relative to A', () => {
    const labels = [0, 1, 2, 3, 4, 5]
    const a = [0, 9, 2, 9, 4, 9]
    const b = [9, 1, 2, 3, 9, 9]
    expect(fixedAndBroken(labels, a, b)).toEqual({ fixed: [1, 3], broken: [0, 4] })
    expect(fixedAndBroken(labels, b, a)).toEqual({ fixed: [0, 4], broken: [1, 3] })
  })

  it('gives every run one colour that does not depend on the order runs are listed in', () => {
    const one = runColors([12, 3, 7])
    const two = runColors([7, 12, 3])
    expect([...one.entries()].sort()).toEqual([...two.entries()].sort())
    expect(new Set(one.values()).size).toBe(3)
    expect(one.get(3)).toBe(RUN_PALETTE[0])
  })

  it('picks the best run by test accuracy, ignoring unfinished runs', () => {
    expect(
      bestByTestAccuracy([
        { id: 1, testAccuracy: 0.8 },
        { id: 2, testAccuracy: null },
        { id: 3, testAccuracy: 0.9 }
      ])?.id
    ).toBe(3)
    expect(bestByTestAccuracy([{ testAccuracy: null }])).toBeNull()
  })
})
