import { describe, expect, it } from 'vitest'
import { createRng, createStatefulRng, shuffleInPlace } from '@main/core/dataset/random'

describe('createRng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = createRng(42)
    const b = createRng(42)
    const c = createRng(43)
    const seqA = Array.from({ length: 100 }, () => a())
    expect(Array.from({ length: 100 }, () => b())).toEqual(seqA)
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(seqA)
  })

  it('continues its exact sequence from a saved state (what a checkpoint stores)', () => {
    const whole = Array.from({ length: 50 }, createRng(42))
    const first = createStatefulRng(42)
    const head = Array.from({ length: 20 }, () => first.next())
    const rest = createStatefulRng(first.state())
    expect([...head, ...Array.from({ length: 30 }, () => rest.next())]).toEqual(whole)
  })

  it('stays in [0, 1) and spreads evenly', () => {
    const rng = createRng(7)
    const buckets = new Array<number>(10).fill(0)
    const n = 100_000
    let outside = 0
    for (let i = 0; i < n; i++) {
      const x = rng()
      if (!(x >= 0 && x < 1)) outside++
      else buckets[Math.floor(x * 10)]++
    }
    expect(outside).toBe(0)
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 100)
  })
})

describe('shuffleInPlace', () => {
  it('permutes a typed array in place, the same way for the same seed', () => {
    const a = Uint32Array.from({ length: 1000 }, (_, i) => i)
    const b = Uint32Array.from({ length: 1000 }, (_, i) => i)
    expect(shuffleInPlace(a, createRng(1))).toBe(a)
    shuffleInPlace(b, createRng(1))
    expect(Array.from(a)).toEqual(Array.from(b))
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    const fixedPoints = a.filter((v, i) => v === i).length
    expect(fixedPoints).toBeLessThan(10)
  })

  it('shuffles plain arrays too', () => {
    const words = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
    const shuffled = shuffleInPlace([...words], createRng(3))
    expect([...shuffled].sort()).toEqual(words)
    expect(shuffled).not.toEqual(words)
  })
})
