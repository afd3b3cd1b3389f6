import { describe, expect, it } from 'vitest'
import { createRng, shuffleInPlace } from '@main/core/dataset/random'
import { stratifiedSplit } from '@main/core/dataset/split'

/** Labels with the given number of images per class, in a shuffled order. */
function labelsWith(perClass: number[], seed = 99): Uint8Array {
  const labels = new Uint8Array(perClass.reduce((a, b) => a + b, 0))
  let i = 0
  perClass.forEach((n, c) => {
    labels.fill(c, i, i + n)
    i += n
  })
  return shuffleInPlace(labels, createRng(seed))
}

function perClass(labels: Uint8Array, indices: Uint32Array): number[] {
  const counts = new Array<number>(10).fill(0)
  for (const i of indices) counts[labels[i]]++
  return counts
}

const balanced = labelsWith(new Array(10).fill(6000))

describe('stratifiedSplit', () => {
  it('holds out the same share of every class', () => {
    const { train, validation } = stratifiedSplit(balanced, { validationFraction: 0.1, seed: 42 })
    expect(perClass(balanced, validation)).toEqual(new Array(10).fill(600))
    expect(perClass(balanced, train)).toEqual(new Array(10).fill(5400))
  })

  it('keeps uneven classes within one image of their share, with the rounded total', () => {
    const sizes = [100, 250, 33, 7, 1000, 1, 64, 500, 12, 300]
    const labels = labelsWith(sizes)
    const { train, validation } = stratifiedSplit(labels, { validationFraction: 0.15, seed: 5 })
    const held = perClass(labels, validation)
    sizes.forEach((n, c) => expect(Math.abs(held[c] - n * 0.15)).toBeLessThanOrEqual(1))
    expect(validation.length).toBe(Math.round(labels.length * 0.15))
    expect(train.length + validation.length).toBe(labels.length)
  })

  it('is disjoint and covers every image when there is no subset', () => {
    const { train, validation } = stratifiedSplit(balanced, { validationFraction: 0.2, seed: 1 })
    const all = new Set([...train, ...validation])
    expect(all.size).toBe(balanced.length)
    expect(train.length + validation.length).toBe(balanced.length)
  })

  it('gives the same split for a seed and another for another seed', () => {
    const a = stratifiedSplit(balanced, { validationFraction: 0.1, seed: 42, subset: 5000 })
    const b = stratifiedSplit(balanced, { validationFraction: 0.1, seed: 42, subset: 5000 })
    const c = stratifiedSplit(balanced, { validationFraction: 0.1, seed: 43, subset: 5000 })
    expect(Array.from(a.train)).toEqual(Array.from(b.train))
    expect(Array.from(a.validation)).toEqual(Array.from(b.validation))
    expect(Array.from(c.validation)).not.toEqual(Array.from(a.validation))
  })

  it('takes a stratified subset of train + validation together', () => {
    const { train, validation } = stratifiedSplit(balanced, { validationFraction: 0.1, seed: 42, subset: 10_000 })
    expect(train.length).toBe(9000)
    expect(validation.length).toBe(1000)
    expect(perClass(balanced, train)).toEqual(new Array(10).fill(900))
    expect(perClass(balanced, validation)).toEqual(new Array(10).fill(100))
    expect(new Set([...train, ...validation]).size).toBe(10_000)
    for (const i of train) expect(i).toBeLessThan(balanced.length)
  })

  it('treats a subset at or above the pool size as everything', () => {
    const { train, validation } = stratifiedSplit(balanced, { validationFraction: 0.1, seed: 42, subset: 100_000 })
    expect(train.length + validation.length).toBe(balanced.length)
  })

  it('shuffles the indices rather than listing them class by class', () => {
    const sorted = labelsWith(new Array(10).fill(100))
    sorted.sort()
    const { train, validation } = stratifiedSplit(sorted, { validationFraction: 0.1, seed: 3 })
    const firstLabels = new Set(Array.from(validation.subarray(0, 20), (i) => sorted[i]))
    expect(firstLabels.size).toBeGreaterThan(3)
    const ascending = train.every((v, i) => i === 0 || v > train[i - 1])
    expect(ascending).toBe(false)
  })

  it('rejects a fraction outside [0, 1) and a bad subset', () => {
    expect(() => stratifiedSplit(balanced, { validationFraction: 1, seed: 0 })).toThrow(RangeError)
    expect(() => stratifiedSplit(balanced, { validationFraction: -0.1, seed: 0 })).toThrow(/validationFraction/)
    expect(() => stratifiedSplit(balanced, { validationFraction: 0.1, seed: 0, subset: 0 })).toThrow(/subset/)
    expect(stratifiedSplit(balanced, { validationFraction: 0, seed: 0 }).validation.length).toBe(0)
  })
})
