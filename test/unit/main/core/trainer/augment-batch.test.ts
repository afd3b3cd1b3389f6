/**
 * Batch augmentation on tiny arrays: each operation's geometry, draws fixed by (seed, epoch, batch) and
 * different between batches, an untouched batch when off, and images of several channels.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_AUGMENT, type Augment } from '@shared/augment'
import type { ImageShape } from '@shared/dataset'
import { augmentSeed, BatchAugmenter } from '@main/core/trainer/augment-batch'

const GRAY: ImageShape = { height: 4, width: 5, channels: 1 }
const RGB: ImageShape = { height: 3, width: 4, channels: 3 }

/** Image `i`'s pixels numbered 1, 2, 3, … (offset by 100 × i), so every value says where it came from. */
function batch(shape: ImageShape, n: number): Float32Array {
  const pixels = shape.height * shape.width * shape.channels
  return Float32Array.from({ length: n * pixels }, (_, k) => 100 * Math.floor(k / pixels) + (k % pixels) + 1)
}

const augmenter = (shape: ImageShape, augment: Partial<Augment> = {}) =>
  new BatchAugmenter({ augment: { ...DEFAULT_AUGMENT, ...augment }, shape })

/** Rows of a one-channel image, for readable expectations. */
const rows = (image: Float32Array, shape: ImageShape): number[][] =>
  Array.from({ length: shape.height }, (_, y) => Array.from(image.subarray(y * shape.width, (y + 1) * shape.width)))

describe('BatchAugmenter', () => {
  it('shifts by padding with zeros and cropping: pixel (y, x) comes from (y + dy, x + dx)', () => {
    const a = augmenter(GRAY, { shift: 2 })
    const image = batch(GRAY, 1)
    a.shift(image, 1, -2)
    expect(rows(image, GRAY)).toEqual([
      [0, 0, 6, 7, 8],
      [0, 0, 11, 12, 13],
      [0, 0, 16, 17, 18],
      [0, 0, 0, 0, 0]
    ])
    const other = batch(GRAY, 1)
    a.shift(other, -1, 1)
    expect(rows(other, GRAY)).toEqual([
      [0, 0, 0, 0, 0],
      [2, 3, 4, 5, 0],
      [7, 8, 9, 10, 0],
      [12, 13, 14, 15, 0]
    ])
  })

  it('mirrors left–right, keeping each pixel’s channels together', () => {
    const gray = batch(GRAY, 1)
    augmenter(GRAY).flip(gray)
    expect(rows(gray, GRAY)[0]).toEqual([5, 4, 3, 2, 1])
    const rgb = batch(RGB, 1)
    augmenter(RGB).flip(rgb)
    // Row 0 is pixels (1,2,3) (4,5,6) (7,8,9) (10,11,12): reversed as whole pixels.
    expect(Array.from(rgb.subarray(0, 12))).toEqual([10, 11, 12, 7, 8, 9, 4, 5, 6, 1, 2, 3])
  })

  it('shifts whole pixels of every channel', () => {
    const rgb = batch(RGB, 1)
    augmenter(RGB, { shift: 1 }).shift(rgb, 0, 1)
    expect(Array.from(rgb.subarray(0, 12))).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0])
  })

  it('erases one rectangle of 2–25 % of the image with values in the input range, all channels', () => {
    const shape: ImageShape = { height: 32, width: 32, channels: 3 }
    const a = new BatchAugmenter({ augment: { ...DEFAULT_AUGMENT, erase: 1 }, shape, maxValue: 1 })
    for (let trial = 0; trial < 50; trial++) {
      const image = new Float32Array(32 * 32 * 3).fill(5)
      a.apply(image, 1, { seed: 7, epoch: 1, batch: trial })
      const changed: Array<[number, number]> = []
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) {
          const values = [0, 1, 2].map((c) => image[(y * 32 + x) * 3 + c])
          if (values.some((v) => v !== 5)) {
            expect(values.every((v) => v >= 0 && v < 1)).toBe(true)
            changed.push([y, x])
          }
        }
      const ys = changed.map(([y]) => y)
      const xs = changed.map(([, x]) => x)
      const h = Math.max(...ys) - Math.min(...ys) + 1
      const w = Math.max(...xs) - Math.min(...xs) + 1
      expect(changed.length).toBe(h * w) // a filled rectangle
      expect(h * w).toBeGreaterThanOrEqual(Math.floor(0.02 * 1024) - 2)
      expect(h * w).toBeLessThanOrEqual(Math.ceil(0.25 * 1024) + 40) // rounding of the sides
      expect(h / w).toBeGreaterThan(0.25)
      expect(h / w).toBeLessThan(4)
    }
  })

  it('leaves the batch untouched when off, and erases with probability 0 never', () => {
    const x = batch(GRAY, 8)
    augmenter(GRAY).apply(x, 8, { seed: 1, epoch: 1, batch: 0 })
    expect(x).toEqual(batch(GRAY, 8))
    augmenter(GRAY, { erase: 0 }).apply(x, 8, { seed: 1, epoch: 1, batch: 0 })
    expect(x).toEqual(batch(GRAY, 8))
  })

  it('touches only the first n images of the buffer', () => {
    const x = batch(GRAY, 4)
    augmenter(GRAY, { shift: 1, flip: true, erase: 1 }).apply(x, 2, { seed: 3, epoch: 2, batch: 5 })
    expect(x.subarray(40)).toEqual(batch(GRAY, 4).subarray(40))
    expect(x.subarray(0, 40)).not.toEqual(batch(GRAY, 4).subarray(0, 40))
  })

  it('draws the same for the same (seed, epoch, batch) and differently for another batch, epoch or seed', () => {
    const shape: ImageShape = { height: 8, width: 8, channels: 3 }
    const all = { shift: 2, flip: true, erase: 0.5 }
    const run = (draw: { seed: number; epoch: number; batch: number }) => {
      const x = batch(shape, 16)
      augmenter(shape, all).apply(x, 16, draw)
      return x
    }
    const base = { seed: 42, epoch: 3, batch: 7 }
    expect(run(base)).toEqual(run({ ...base }))
    expect(run(base)).not.toEqual(run({ ...base, batch: 8 }))
    expect(run(base)).not.toEqual(run({ ...base, epoch: 4 }))
    expect(run(base)).not.toEqual(run({ ...base, seed: 43 }))
    const seeds = new Set<number>()
    for (let e = 1; e <= 20; e++) for (let b = 0; b < 50; b++) seeds.add(augmentSeed({ seed: 42, epoch: e, batch: b }))
    expect(seeds.size).toBe(1000)
  })

  it('flips about half the images and shifts by at most the given pixels', () => {
    const shape: ImageShape = { height: 1, width: 9, channels: 1 }
    const flips = augmenter(shape, { flip: true })
    let flipped = 0
    for (let b = 0; b < 20; b++) {
      const x = batch(shape, 50)
      flips.apply(x, 50, { seed: 5, epoch: 1, batch: b })
      for (let i = 0; i < 50; i++) if (x[i * 9] === 100 * i + 9) flipped++
    }
    expect(flipped / 1000).toBeGreaterThan(0.45)
    expect(flipped / 1000).toBeLessThan(0.55)
    const square: ImageShape = { height: 9, width: 9, channels: 1 }
    const x = batch(square, 200)
    augmenter(square, { shift: 2 }).apply(x, 200, { seed: 5, epoch: 1, batch: 0 })
    const offsets = new Set<string>()
    for (let i = 0; i < 200; i++) {
      // The centre pixel (41) lands at (4 − dy, 4 − dx).
      const at = Array.from(x.subarray(i * 81, (i + 1) * 81)).indexOf(100 * i + 41)
      offsets.add(`${Math.floor(at / 9) - 4},${(at % 9) - 4}`)
    }
    const all = [-2, -1, 0, 1, 2].flatMap((dy) => [-2, -1, 0, 1, 2].map((dx) => `${dy},${dx}`))
    expect([...offsets].sort()).toEqual(all.sort())
  })
})
