/** The saliency overlay tints the strongest pixels red and leaves weak ones as the plain image. */
import { describe, expect, it } from 'vitest'
import { saliencyRgba } from '@renderer/lib/saliencyImage'

const rgb = (out: Uint8ClampedArray, p: number): number[] => Array.from(out.subarray(p * 4, p * 4 + 3))

describe('saliencyRgba', () => {
  const pixels = Uint8Array.from({ length: 784 }, (_, i) => (i % 2 ? 255 : 0))

  it('draws the image dark on light without a map', () => {
    const out = saliencyRgba(pixels)
    expect(rgb(out, 0)).toEqual([255, 255, 255])
    expect(rgb(out, 1)).toEqual([0, 0, 0])
  })

  it('reddens by gradient magnitude, either sign, and leaves faint gradients untinted', () => {
    const map = new Float32Array(784).fill(1e-4)
    map[10] = 1
    map[12] = -1
    for (let i = 100; i < 110; i++) map[i] = 0.5
    const out = saliencyRgba(pixels, map)
    expect(rgb(out, 10)).toEqual(rgb(out, 12))
    const [r, g, b] = rgb(out, 10)
    expect(r).toBeGreaterThan(200)
    expect(g).toBeLessThan(60)
    expect(b).toBeLessThan(60)
    // Faint: exactly the plain image.
    expect(rgb(out, 0)).toEqual([255, 255, 255])
    expect(rgb(out, 1)).toEqual([0, 0, 0])
  })

  it('draws exactly the values the model gets, light on dark, for Try it', () => {
    const out = saliencyRgba(pixels, null, { asModelSees: true })
    expect(rgb(out, 0)).toEqual([0, 0, 0])
    expect(rgb(out, 1)).toEqual([255, 255, 255])
  })

  it('keeps the image visible under the strongest pixels at a lower opacity', () => {
    const map = new Float32Array(784).fill(1e-4)
    map[1] = 1
    const [r, g] = rgb(saliencyRgba(pixels, map, { asModelSees: true, opacity: 0.6 }), 1)
    // 40 % of the white pixel shows through the red.
    expect(g).toBeGreaterThan(100)
    expect(r).toBeGreaterThan(200)
  })
})
