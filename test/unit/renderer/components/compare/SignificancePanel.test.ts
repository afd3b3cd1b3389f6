import { afterEach, describe, expect, it } from 'vitest'
import { nextTick, reactive } from 'vue'
import type { VueWrapper } from '@vue/test-utils'
import type { Significance } from '@shared/significance'
import SignificancePanel from '@renderer/components/compare/SignificancePanel.vue'
import { createFakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

/** What main answers for runs a and b when b gets `bOnly` images right that a gets wrong (and a none the other way). */
function answer(a: number, b: number, bOnly: number, p: number, sentence: string): Significance {
  const side = (id: number, right: number) => ({
    kind: 'run' as const,
    id,
    label: `#${id}`,
    accuracy: right / 1000,
    interval: { low: right / 1000 - 0.025, high: right / 1000 + 0.024 },
    intervalMethod: 'wilson' as const,
    n: 1000,
    memberAccuracies: []
  })
  return {
    a: side(a, 800),
    b: side(b, 800 + bOnly),
    test: 'mcnemar-exact',
    counts: { bothRight: 800, aOnly: 0, bOnly, bothWrong: 200 - bOnly },
    p,
    t: null,
    df: null,
    verdict: p < 0.05 ? 'real' : 'noise',
    sentence
  }
}
const ANSWERS: Record<string, Significance> = {
  '1-2': answer(1, 2, 50, 1e-15, '#2 gets 50 more test images right than #1: p < 0.001, a real difference.'),
  '1-3': answer(1, 3, 1, 1, '#3 gets 1 more test image right than #1: p = 1, not distinguishable from noise.')
}

describe('SignificancePanel', () => {
  let wrapper: VueWrapper
  afterEach(() => {
    wrapper?.unmount()
    delete (globalThis as { atelier?: unknown }).atelier
  })

  it('shows the sentence, both intervals and the paired counts for the chosen runs, and follows a new choice', async () => {
    const fake = createFakeAtelier({ 'compare.significance': ({ a, b }) => ANSWERS[`${a.id}-${b.id}`]! })
    ;(globalThis as { atelier?: unknown }).atelier = fake
    // A reactive props object: the providers' host re-renders the panel when it changes.
    const props = reactive({ a: { kind: 'run' as const, id: 1 }, b: { kind: 'run' as const, id: 2 } })
    wrapper = mountWithProviders(SignificancePanel, props)
    await flush()
    const text = () => document.body.querySelector('[data-testid="significance-panel"]')!.textContent!
    expect(text()).toContain('#2 gets 50 more test images right than #1: p < 0.001, a real difference.')
    expect(text()).toContain('80.00%')
    expect(text()).toContain('only B right 50')
    props.b = { kind: 'run', id: 3 }
    await flush()
    expect(text()).toContain('#3 gets 1 more test image right than #1: p = 1, not distinguishable from noise.')
    expect(fake.callsTo('compare.significance')).toEqual([
      { a: { kind: 'run', id: 1 }, b: { kind: 'run', id: 2 } },
      { a: { kind: 'run', id: 1 }, b: { kind: 'run', id: 3 } }
    ])
  })

  it('asks for two different runs, and says what went wrong when the test cannot be made', async () => {
    ;(globalThis as { atelier?: unknown }).atelier = createFakeAtelier({
      'compare.significance': () => ({ ok: false, error: { code: 'conflict', message: '#4 x is running and has no test predictions yet' } })
    })
    const props = reactive({ a: { kind: 'run' as const, id: 4 }, b: { kind: 'run' as const, id: 4 } })
    wrapper = mountWithProviders(SignificancePanel, props)
    await nextTick()
    const panel = () => document.body.querySelector('[data-testid="significance-panel"]')!.textContent!
    expect(panel()).toContain('Choose two different finished runs')
    props.b = { kind: 'run', id: 5 }
    await flush()
    expect(panel()).toContain('Could not test whether A and B differ: #4 x is running and has no test predictions yet')
  })

  it('shows the reason instead of a test when A and B trained on different datasets', async () => {
    const refused: Significance = {
      ...answer(1, 2, 0, 1, ''),
      counts: null,
      p: null,
      verdict: 'different-test-sets',
      sentence:
        '#1 trained on MNIST, #2 on Fashion-MNIST: their test sets differ, so no paired test is possible; accuracies are shown side by side.'
    }
    ;(globalThis as { atelier?: unknown }).atelier = createFakeAtelier({ 'compare.significance': () => refused })
    wrapper = mountWithProviders(SignificancePanel, reactive({ a: { kind: 'run' as const, id: 1 }, b: { kind: 'run' as const, id: 2 } }))
    await flush()
    const panel = document.body.querySelector('[data-testid="significance-panel"]')!
    expect(panel.querySelector('[data-testid="significance-sentence"]')!.textContent).toBe(refused.sentence)
    expect(panel.querySelector('[data-testid="significance-sentence"]')!.getAttribute('data-verdict')).toBe('different-test-sets')
    expect(panel.textContent).toContain('80.00%')
    expect(panel.querySelector('[data-testid="significance-untested"]')).not.toBeNull()
    expect(panel.querySelector('[data-testid="significance-counts"]')).toBeNull()
    expect(panel.querySelector('[data-testid="significance-members"]')).toBeNull()
  })
})
