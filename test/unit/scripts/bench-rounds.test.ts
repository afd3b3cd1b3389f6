/** The bench's interleaving and its verdict on a ratio's spread (bench/interleave.ts, bench/round-stats.ts). */
import { describe, expect, it } from 'vitest'
import type { EngineHost } from '../../../bench/engine-hosts'
import { interleaveRounds, roundImagesFor } from '../../../bench/interleave'
import { distrustNote, median, summarizeRatios } from '../../../bench/round-stats'

describe('summarizeRatios', () => {
  it('gives the median, the range and quartiles of the per-round ratios', () => {
    const s = summarizeRatios([0.5, 0.52, 0.48, 0.51, 0.49])
    expect(s.median).toBe(0.5)
    expect([s.min, s.max]).toEqual([0.48, 0.52])
    expect(s.quartiles).toEqual([0.49, 0.51])
    expect(s.relativeSpread).toBeCloseTo(0.08, 10)
    expect(s.trustworthy).toBe(true)
    expect(distrustNote(s)).toBeNull()
    expect(median([3, 1, 2, 10])).toBe(2.5)
  })

  it('distrusts a spread over a quarter of the median, and too few rounds', () => {
    const wide = summarizeRatios([0.2, 0.31, 0.37, 0.3, 0.33])
    expect(wide.trustworthy).toBe(false)
    expect(distrustNote(wide)).toMatch(/spread too wide to trust/)
    const few = summarizeRatios([0.5, 0.5])
    expect(few.trustworthy).toBe(false)
    expect(distrustNote(few)).toMatch(/too few rounds/)
  })
})

describe('interleaveRounds', () => {
  it('alternates the order every round (A B, B A, …) and keeps each engine’s results in round order', async () => {
    const calls: string[] = []
    const engine = (name: string): EngineHost =>
      ({
        name,
        round: (images: number) => {
          calls.push(name)
          return Promise.resolve({ kind: 'round', images, seconds: 1, imagesPerSec: images })
        }
      }) as unknown as EngineHost
    const results = await interleaveRounds([engine('wasm'), engine('pytorch')], { rounds: 4, roundImages: 128 })
    expect(calls).toEqual(['wasm', 'pytorch', 'pytorch', 'wasm', 'wasm', 'pytorch', 'pytorch', 'wasm'])
    expect(results.map((r) => r.length)).toEqual([4, 4])
  })

  it('sizes a round by the slower engine, in whole batches, never under four', () => {
    expect(roundImagesFor([1000, 300], 1.5, 64)).toBe(Math.ceil(450 / 64) * 64)
    expect(roundImagesFor([10, null], 1.5, 64)).toBe(4 * 64)
    expect(roundImagesFor([null], 1.5, 64)).toBe(4 * 64)
  })
})
