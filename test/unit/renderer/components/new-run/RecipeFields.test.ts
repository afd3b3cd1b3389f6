/** The recipe fields of New run: they reach runs.start, refuse a warmup as long as training inline, and default to today's recipe. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { Hparams } from '@shared/hparams'
import { DEFAULT_RECIPE } from '@shared/recipe'
import NewRunView from '@renderer/components/new-run/NewRunView.vue'
import { installFakeAtelier, makeRun, type FakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

async function typeInto(wrapper: VueWrapper, testid: string, value: string): Promise<void> {
  const input = wrapper.find(`[data-testid="${testid}"] input`)
  await input.setValue(value)
  await input.trigger('blur')
  await flush()
}

describe('RecipeFields in New run', () => {
  let fake: FakeAtelier
  let wrapper: VueWrapper

  beforeEach(() => {
    fake = installFakeAtelier({ 'runs.start': (req) => makeRun({ id: 41, status: 'queued', preset: req.hparams.preset }) })
    location.hash = ''
  })
  afterEach(() => wrapper?.unmount())

  it('offers the default recipe, with momentum and Nesterov off for Adam', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    expect(wrapper.get('[data-testid="recipe-fields"]').text()).toContain('Adam (default)')
    expect(wrapper.get('[data-testid="hp-recipe-momentum"] input').attributes('disabled')).toBeDefined()
  })

  it('refuses a warmup as long as training under its field, and starts nothing', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await typeInto(wrapper, 'hp-epochs', '3')
    await typeInto(wrapper, 'hp-recipe-warmupEpochs', '3')
    expect(wrapper.text()).toContain('Warmup (epochs): must be fewer than the epochs')
    expect(wrapper.get('[data-testid="start-run"]').attributes('disabled')).toBeDefined()
  })

  it('refuses a shift over a quarter of the image side and an erase probability over 1 under their fields', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await typeInto(wrapper, 'hp-recipe-augment-shift', '8')
    expect(wrapper.text()).toContain('Augment shift (px): must be at most 7 px, a quarter of the 28×28 images of Fashion-MNIST')
    expect(wrapper.get('[data-testid="start-run"]').attributes('disabled')).toBeDefined()
    await typeInto(wrapper, 'hp-recipe-augment-shift', '7')
    await typeInto(wrapper, 'hp-recipe-augment-erase', '1.5')
    expect(wrapper.text()).not.toContain('Augment shift (px): must')
    expect(wrapper.text()).toContain('Augment erase probability: must be at most 1')
    expect(wrapper.get('[data-testid="start-run"]').attributes('disabled')).toBeDefined()
  })

  it('says under flip that mirroring is wrong for digits and text', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    expect(wrapper.get('[data-testid="recipe-fields"]').text()).toContain('wrong for digits and text')
  })

  it('sends the augmentation with the run', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await typeInto(wrapper, 'hp-recipe-augment-shift', '3')
    await wrapper.get('[data-testid="hp-recipe-augment-flip"]').trigger('click')
    await typeInto(wrapper, 'hp-recipe-augment-erase', '0.25')
    await wrapper.get('[data-testid="start-run"]').trigger('click')
    await flush()
    const calls = fake.callsTo('runs.start') as Array<{ hparams: Hparams }>
    expect(calls[0].hparams.recipe.augment).toEqual({ shift: 3, flip: true, erase: 0.25 })
  })

  it('sends the edited recipe with the run', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await typeInto(wrapper, 'hp-epochs', '4')
    await typeInto(wrapper, 'hp-recipe-warmupEpochs', '1')
    await typeInto(wrapper, 'hp-recipe-labelSmoothing', '0.1')
    await wrapper.get('[data-testid="start-run"]').trigger('click')
    await flush()
    const calls = fake.callsTo('runs.start') as Array<{ hparams: Hparams }>
    expect(calls).toHaveLength(1)
    expect(calls[0].hparams.recipe).toEqual({ ...DEFAULT_RECIPE, warmupEpochs: 1, labelSmoothing: 0.1 })
  })
})
