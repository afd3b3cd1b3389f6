import { describe, expect, it } from 'vitest'
import type { DatasetProgress } from '@shared/dataset'
import { progressMeter } from '@main/core/dataset/folder/progress'

describe('progressMeter', () => {
  it('reports at most every 250 ms (unless forced), with the rate and the time left', () => {
    let t = 1000
    const seen: DatasetProgress[] = []
    const meter = progressMeter({ dataset: 'pets', phase: 'decoding', total: 100, onProgress: (p) => seen.push(p), now: () => t })
    for (const [at, done] of [
      [1100, 10],
      [1200, 20],
      [1300, 30],
      [2000, 50]
    ]) {
      t = at
      meter.tick(done)
    }
    t = 2100
    meter.tick(100, { force: true })
    expect(seen.map((p) => p.done)).toEqual([10, 50, 100])
    expect(seen[1]).toMatchObject({ dataset: 'pets', phase: 'decoding', unit: 'images', total: 100, perSec: 50, etaSeconds: 1 })
    expect(seen[2].etaSeconds).toBe(0)
  })
})
