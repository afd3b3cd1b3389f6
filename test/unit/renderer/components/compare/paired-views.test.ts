/** The fixed/broke galleries and the confusion difference need the same test images on both sides. */
import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { builtinRef } from '@shared/dataset'
import type { RunDetail } from '@shared/run'
import FixedBrokenGalleries from '@renderer/components/compare/FixedBrokenGalleries.vue'
import CompareConfusion from '@renderer/components/compare/CompareConfusion.vue'
import { createFakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

const confusion = (k: number) => Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 8 : 1)))
function run(id: number, dataset: string, checksum: string | null): RunDetail {
  const ref = builtinRef(dataset)!
  return {
    id,
    name: `run ${id}`,
    dataset: ref,
    datasetChecksum: checksum,
    testAccuracy: 0.8,
    metrics: { testAccuracy: 0.8, testLoss: 0.5, perClass: [], confusion: confusion(ref.classNames.length) }
  } as unknown as RunDetail
}

describe('paired views across datasets', () => {
  let wrapper: VueWrapper
  afterEach(() => {
    wrapper?.unmount()
    delete (globalThis as { atelier?: unknown }).atelier
  })

  it('says why there are no fixed/broke images for runs on different datasets, and loads nothing', async () => {
    const fake = createFakeAtelier({})
    ;(globalThis as { atelier?: unknown }).atelier = fake
    wrapper = mountWithProviders(FixedBrokenGalleries, { runA: run(1, 'mnist', 'a'.repeat(64)), runB: run(2, 'fashion-mnist', null) })
    await flush()
    expect(document.body.querySelector('[data-testid="fixed-broken-refused"]')!.textContent!.trim()).toBe(
      'A #1 trained on MNIST, B #2 on Fashion-MNIST: their test sets differ, so there are no test images both runs classified to show here.'
    )
    expect(fake.calls).toEqual([])
  })

  it('refuses the confusion difference for the same dataset on other files, and offers it on the same files', async () => {
    ;(globalThis as { atelier?: unknown }).atelier = createFakeAtelier({})
    const a = run(1, 'mnist', 'a'.repeat(64))
    wrapper = mountWithProviders(CompareConfusion, {
      runs: [a, run(2, 'mnist', 'b'.repeat(64))],
      runA: a,
      runB: run(2, 'mnist', 'b'.repeat(64))
    })
    await flush()
    expect(document.body.querySelector('[data-testid="compare-diff-refused"]')!.textContent).toMatch(
      /^A #1 and B #2 both trained on MNIST, but on different files .*so their confusion matrices cannot be subtracted cell by cell\.$/
    )
    expect(document.body.querySelector('[data-testid="compare-diff-toggle"]')!.className).toContain('disabled')
    wrapper.unmount()
    wrapper = mountWithProviders(CompareConfusion, { runs: [a], runA: a, runB: run(3, 'mnist', 'a'.repeat(64)) })
    await flush()
    expect(document.body.querySelector('[data-testid="compare-diff-refused"]')).toBeNull()
    expect(document.body.querySelector('[data-testid="compare-diff-toggle"]')!.className).not.toContain('disabled')
  })

  it("shows the best run of B's dataset, never one whose accuracy is on another test set", async () => {
    ;(globalThis as { atelier?: unknown }).atelier = createFakeAtelier({})
    const fashion = { ...run(1, 'fashion-mnist', null), testAccuracy: 0.7 } as RunDetail
    const digits = run(2, 'mnist', 'a'.repeat(64))
    const better = {
      ...fashion,
      id: 3,
      name: 'run 3',
      testAccuracy: 0.95,
      metrics: { ...fashion.metrics!, testAccuracy: 0.95 }
    } as RunDetail
    wrapper = mountWithProviders(CompareConfusion, { runs: [fashion, digits, better], runA: digits, runB: fashion })
    await flush()
    expect(document.body.querySelector('[data-testid="compare-confusion-best"]')!.textContent).toContain(
      'Best run on Fashion-MNIST by test accuracy: #3 run 3'
    )
  })
})
