/** A gallery thumbnail draws the run's own images (any size, in colour) and names their classes. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import GalleryThumb from '@renderer/components/gallery/GalleryThumb.vue'
import { installFakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'
import { makeFolderDataset } from '../../fixtures/datasets'

class FakeImageData {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number
  ) {}
}

describe('GalleryThumb', () => {
  let wrapper: VueWrapper
  afterEach(() => {
    wrapper?.unmount()
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
  })

  it('puts a 2×2 RGB test image on a 2×2 canvas in its colours, captioned with the dataset’s class names', async () => {
    installFakeAtelier()
    const drawn: FakeImageData[] = []
    vi.stubGlobal('ImageData', FakeImageData)
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({
      putImageData: (image: FakeImageData) => drawn.push(image)
    } as unknown as CanvasRenderingContext2D)
    // Image 0 is all black; image 1 is red, green / blue, white.
    const images = Uint8Array.from([...new Array(12).fill(0), 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])
    wrapper = mountWithProviders(GalleryThumb, {
      item: { index: 1, label: 1, predicted: 0, confidence: 0.75 },
      images,
      size: 64,
      dataset: makeFolderDataset()
    })
    await flush()
    const canvas = wrapper.get('canvas')
    expect([canvas.attributes('width'), canvas.attributes('height')]).toEqual(['2', '2'])
    expect(drawn).toHaveLength(1)
    expect([drawn[0].width, drawn[0].height]).toEqual([2, 2])
    expect(Array.from(drawn[0].data)).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255])
    const figure = wrapper.get('[data-testid="gallery-item"]')
    expect(figure.text()).toContain('75% cat')
    expect(figure.text()).toContain('true きつねとたぬきの長い名前')
    expect(figure.attributes('title')).toContain('true きつねとたぬきの長い名前, predicted cat')
  })
})
