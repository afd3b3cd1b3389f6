import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import ConfusionCellGallery from '@renderer/components/confusion/ConfusionCellGallery.vue'
import { installFakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

const labels = Uint8Array.from([3, 3, 1, 3, 5, 3, 3])
const predicted = Uint8Array.from([6, 3, 6, 6, 5, 6, 3])
const probabilities = new Float32Array(7 * 10)
;[0.5, 0.9, 0.6, 0.8, 0.7, 0.95, 0.99].forEach((c, i) => (probabilities[i * 10 + predicted[i]] = c))
const images = new Uint8Array(7 * 784)

describe('ConfusionCellGallery', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it('shows exactly the test images of the clicked cell, most confident first', async () => {
    installFakeAtelier()
    wrapper = mountWithProviders(ConfusionCellGallery, {
      modelValue: { row: 3, col: 6 },
      labels,
      images,
      predicted,
      probabilities
    })
    await flush()
    const dialog = document.querySelector('[data-testid="confusion-cell-gallery"]')
    expect(dialog?.textContent).toContain('True Dress, predicted Shirt — 3 images')
    const shown = [...document.querySelectorAll('[data-testid="gallery-item"]')].map((el) => Number(el.getAttribute('data-index')))
    expect(shown).toEqual([5, 3, 0])
  })
})
