import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import ImageGallery from '@renderer/components/gallery/ImageGallery.vue'
import type { GalleryItem } from '@renderer/lib/confusionSelection'
import { installFakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'
import { installFakeViewport } from '../../fixtures/fakeViewport'

describe('ImageGallery', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it('renders only the thumbnails in view for 10,000 images, and the next ones after scrolling', async () => {
    installFakeAtelier()
    const items: GalleryItem[] = Array.from({ length: 10_000 }, (_, i) => ({
      index: i,
      label: i % 10,
      predicted: (i + 1) % 10,
      confidence: 0.5
    }))
    wrapper = mountWithProviders(ImageGallery, { items, images: new Uint8Array(10_000 * 784), height: 400, thumb: 72 })
    await flush()
    const rendered = () => wrapper.findAll('[data-testid="gallery-item"]').map((w) => Number(w.attributes('data-index')))
    const first = rendered()
    expect(first[0]).toBe(0)
    expect(first.length).toBeGreaterThan(0)
    expect(first.length).toBeLessThan(200)
    expect(wrapper.get('[data-testid="gallery"]').attributes('data-count')).toBe('10000')

    const scroller = wrapper.get('.scroller')
    ;(scroller.element as HTMLElement).scrollTop = 50_000
    await scroller.trigger('scroll')
    await flush()
    const later = rendered()
    expect(later.length).toBeLessThan(200)
    expect(Math.min(...later)).toBeGreaterThan(1000)
  })

  it('lazy: keeps its size but draws no thumbnail until it nears the viewport', async () => {
    installFakeAtelier()
    const viewport = installFakeViewport()
    try {
      const items: GalleryItem[] = Array.from({ length: 500 }, (_, i) => ({
        index: i,
        label: i % 10,
        predicted: (i + 1) % 10,
        confidence: 0.5
      }))
      wrapper = mountWithProviders(ImageGallery, { items, images: new Uint8Array(500 * 784), height: 400, thumb: 72, lazy: true })
      await flush()
      expect(wrapper.findAll('[data-testid="gallery-item"]')).toHaveLength(0)
      expect(wrapper.get('.scroller').attributes('style')).toContain('height: 400px')
      expect(wrapper.get('[data-testid="gallery"]').attributes('data-count')).toBe('500')
      viewport.scrollTo(wrapper.get('[data-testid="gallery"]').element)
      await flush()
      const shown = wrapper.findAll('[data-testid="gallery-item"]').length
      expect(shown).toBeGreaterThan(0)
      expect(shown).toBeLessThan(200)
      wrapper.unmount()
    } finally {
      viewport.uninstall()
    }
  })
})
