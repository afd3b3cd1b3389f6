/** The run page names the run's recipe, and says when its test figures come after re-estimated batch-norm statistics. */
import { describe, expect, it } from 'vitest'
import type { RunDetail } from '@shared/run'
import { defaultHparams } from '@shared/hparams'
import { DEFAULT_RECIPE } from '@shared/recipe'
import { builtinRef } from '@shared/dataset'
import RunSetup from '@renderer/components/run/RunSetup.vue'
import { makeRun } from '../../fixtures/fakeAtelier'
import { mountWithProviders } from '../../fixtures/mountWithProviders'

const detail = (hparams: RunDetail['hparams']): RunDetail => ({
  ...makeRun({ id: 7 }),
  hparams,
  notes: '',
  seed: 42,
  datasetChecksum: null,
  dataset: builtinRef('fashion-mnist')!,
  backendInfo: null,
  appVersion: 't',
  history: [],
  metrics: null,
  resumePoints: []
})

const recipeText = () => document.querySelector('[data-testid="run-recipe"] dd')?.textContent

describe('RunSetup recipe', () => {
  it('names the recipe the run trained with', () => {
    const h = {
      ...defaultHparams('dense'),
      recipe: { ...DEFAULT_RECIPE, optimizer: 'adamw' as const, weightDecay: 0.01, schedule: 'cosine' as const }
    }
    const wrapper = mountWithProviders(RunSetup, { run: detail(h), model: null })
    expect(recipeText()).toBe('adamw wd 0.01 · cosine')
    wrapper.unmount()
  })

  it('names the augmentation in the recipe, and reads a recipe recorded before augmentation as none', () => {
    const h = { ...defaultHparams('dense'), recipe: { ...DEFAULT_RECIPE, augment: { shift: 2, flip: true, erase: 0 } } }
    const wrapper = mountWithProviders(RunSetup, { run: detail(h), model: null })
    expect(recipeText()).toBe('adam · constant · augment shift 2 px, flip')
    wrapper.unmount()
    const { augment: _augment, ...before } = DEFAULT_RECIPE
    const old = mountWithProviders(RunSetup, {
      run: detail({ ...defaultHparams('dense'), recipe: before as typeof DEFAULT_RECIPE }),
      model: null
    })
    expect(recipeText()).toBe('adam · constant')
    old.unmount()
  })

  it('reads a run recorded before recipes as the defaults', () => {
    const { recipe: _recipe, ...old } = defaultHparams('dense')
    const wrapper = mountWithProviders(RunSetup, { run: detail(old as RunDetail['hparams']), model: null })
    expect(recipeText()).toBe('adam · constant')
    wrapper.unmount()
  })
})
