/** Dataset images are drawn from their own shape: grey repeated into RGB, colour as it is, the MNIST family inverted. */
import { describe, expect, it } from 'vitest'
import { imageRgba, lookOf, shapeLabel, shortHash } from '@renderer/lib/datasetImage'
import { classShortNames } from '@renderer/lib/classShortNames'
import { builtinRef } from '@shared/dataset'

describe('imageRgba', () => {
  it('draws a 2×2 RGB image in its own colours, row by row', () => {
    // Red, green / blue, white; then a second image that must not leak into the first.
    const images = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9])
    const look = lookOf(builtinRef('cifar10')!)
    expect(look).toEqual({ shape: { height: 32, width: 32, channels: 3 }, invert: false })
    const out = imageRgba(images, 0, { shape: { height: 2, width: 2, channels: 3 }, invert: false })
    expect(Array.from(out)).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255])
    expect(Array.from(imageRgba(images, 1, { shape: { height: 2, width: 2, channels: 3 }, invert: false }).slice(0, 4))).toEqual([
      9, 9, 9, 255
    ])
  })

  it('draws the MNIST family dark on light and a grey folder image as it is', () => {
    const images = Uint8Array.from([0, 255, 100, 200])
    const shape = { height: 2, width: 2, channels: 1 as const }
    expect(lookOf(builtinRef('kmnist')!).invert).toBe(true)
    expect(Array.from(imageRgba(images, 0, { shape, invert: true }).slice(0, 8))).toEqual([255, 255, 255, 255, 0, 0, 0, 255])
    const grey = lookOf({ shape, preprocessing: { fit: 'cover', height: 2, width: 2, color: 'gray', scale: 1 / 255 } })
    expect(grey.invert).toBe(false)
    expect(Array.from(imageRgba(images, 0, grey).slice(8, 12))).toEqual([100, 100, 100, 255])
  })

  it('names shapes and shortens hashes', () => {
    expect(shapeLabel({ height: 28, width: 28, channels: 1 })).toBe('28×28 gray')
    expect(shapeLabel({ height: 32, width: 32, channels: 3 })).toBe('32×32 RGB')
    expect(shortHash('0123456789abcdef0123')).toBe('0123456789ab')
    expect(shortHash(null)).toBe('—')
  })
})

describe('classShortNames', () => {
  it('keeps Fashion-MNIST’s abbreviations and short names, and cuts long or wide ones on whole characters', () => {
    expect(classShortNames(['T-shirt/top', 'Ankle boot'])).toEqual(['Top', 'Boot'])
    expect(classShortNames(['お', 'き', '0'])).toEqual(['お', 'き', '0'])
    const [longLatin, longJapanese] = classShortNames(['automobile', 'きつねとたぬき'])
    expect(longLatin).toBe('automo.')
    expect(longJapanese).toBe('きつね.')
  })

  it('keeps cut names apart when they would read the same', () => {
    const short = classShortNames(['category_alpha', 'category_beta'])
    expect(new Set(short).size).toBe(2)
  })
})
