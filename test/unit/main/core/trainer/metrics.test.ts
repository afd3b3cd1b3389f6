import { describe, expect, it } from 'vitest'
import { confusionMatrix, perClassMetrics } from '@main/core/trainer/metrics'

describe('test metrics', () => {
  it('count each (true, predicted) pair and derive precision, recall and F1 per class', () => {
    const labels = [0, 0, 0, 1, 1, 2]
    const predicted = [0, 0, 1, 1, 2, 2]
    const m = confusionMatrix(labels, predicted, 10)
    expect(m[0].slice(0, 3)).toEqual([2, 1, 0])
    expect(m[1].slice(0, 3)).toEqual([0, 1, 1])
    expect(m[2].slice(0, 3)).toEqual([0, 0, 1])
    const per = perClassMetrics(m)
    expect(per[0]).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 })
    expect(per[1].precision).toBeCloseTo(0.5)
    expect(per[1].recall).toBeCloseTo(0.5)
    // A class never predicted and never present has zeros rather than NaN.
    expect(per[9]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 })
  })
})
