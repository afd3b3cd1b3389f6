import { describe, expect, it } from 'vitest'
import { groupSignificance, runSignificance } from '@main/core/stats/compare-significance'
import { formatP } from '@main/core/stats/significance-sentence'
import { testSetOf } from '@shared/same-test-set'

/** The test sets of `n` members trained on the official Fashion-MNIST files (recorded before checksums existed). */
const fm = (n: number) =>
  Array.from({ length: n }, () => testSetOf({ dataset: { name: 'fashion-mnist', title: 'Fashion-MNIST' }, datasetChecksum: null }))

/** Labels 0…9 repeated, and predictions that are right exactly on the given image indices. */
function predictionsRightOn(n: number, right: (i: number) => boolean): { labels: number[]; predicted: number[] } {
  const labels = Array.from({ length: n }, (_, i) => i % 10)
  return { labels, predicted: labels.map((l, i) => (right(i) ? l : (l + 1) % 10)) }
}

describe('significance between two runs', () => {
  it('names the better run, the image count, p and the verdict', () => {
    const n = 10_000
    const { labels, predicted: a } = predictionsRightOn(n, (i) => i < 8000)
    // B keeps A's first 7,700 right images, loses 300 and gains 753: 453 more right.
    const { predicted: b } = predictionsRightOn(n, (i) => i < 7700 || (i >= 8000 && i < 8753))
    const s = runSignificance(labels, { id: 1, label: 'A', predicted: a }, { id: 2, label: 'B', predicted: b })
    expect(s.counts).toEqual({ bothRight: 7700, aOnly: 300, bOnly: 753, bothWrong: 1247 })
    expect(s.sentence).toBe('B gets 453 more test images right than A: p < 0.001, a real difference.')
    expect(s.verdict).toBe('real')
    expect(s.a.accuracy).toBe(0.8)
    expect(s.b.accuracy).toBe(0.8453)
    expect(s.a.interval!.low).toBeLessThan(0.8)
    expect(s.a.interval!.high).toBeGreaterThan(0.8)
    expect(structuredClone(s)).toEqual(s)
  })

  it('calls a small difference noise, in either direction', () => {
    const { labels, predicted: a } = predictionsRightOn(1000, (i) => i < 800)
    const { predicted: b } = predictionsRightOn(1000, (i) => i < 790 || (i >= 800 && i < 803))
    const s = runSignificance(labels, { id: 1, label: '#1 dense', predicted: a }, { id: 2, label: '#2 dense', predicted: b })
    // 10 A-only against 3 B-only: 2·P(X ≤ 3 | 13, ½) = 2·378/8192.
    expect(s.p).toBeCloseTo((2 * 378) / 8192, 12)
    expect(s.sentence).toBe('#1 dense gets 7 more test images right than #2 dense: p = 0.092, not distinguishable from noise.')
  })

  it('says plainly when two runs get exactly the same images right', () => {
    const { labels, predicted } = predictionsRightOn(100, (i) => i % 3 !== 0)
    const s = runSignificance(labels, { id: 1, label: 'A', predicted }, { id: 1, label: 'A', predicted })
    expect(s).toMatchObject({ verdict: 'identical', p: 1, counts: { aOnly: 0, bOnly: 0 } })
    expect(s.sentence).toBe('A and A get exactly the same test images right: there is no difference to test.')
  })

  it('reports an even split as noise', () => {
    const { labels, predicted: a } = predictionsRightOn(100, (i) => i < 50)
    const { predicted: b } = predictionsRightOn(100, (i) => i >= 10 && i < 60)
    const s = runSignificance(labels, { id: 1, label: 'A', predicted: a }, { id: 2, label: 'B', predicted: b })
    expect(s.sentence).toBe(
      'A and B get the same number of test images right (each gets 10 images right that the other gets wrong): p = 1, not distinguishable from noise.'
    )
  })
})

describe('significance between two groups', () => {
  it("uses Welch's test on member accuracies", () => {
    const s = groupSignificance(
      { id: 1, label: 'lr 0.001', memberAccuracies: [0.861, 0.866, 0.859], testSets: fm(3) },
      { id: 2, label: 'lr 0.003', memberAccuracies: [0.874, 0.879, 0.871], testSets: fm(3) }
    )
    expect(s.test).toBe('welch-t')
    expect(s.a.interval!.low).toBeLessThan(s.a.accuracy)
    expect(s.sentence).toMatch(
      /^The 3 runs of lr 0\.003 average 1\.27 percentage points higher test accuracy than the 3 of lr 0\.001: p = 0\.0\d+ \(Welch's t-test\), a real difference\.$/
    )
  })

  it('says when a group has too few members to say anything', () => {
    const s = groupSignificance(
      { id: 1, label: 'A', memberAccuracies: [0.86], testSets: fm(1) },
      { id: 2, label: 'B', memberAccuracies: [0.87, 0.88], testSets: fm(2) }
    )
    expect(s).toMatchObject({ verdict: 'too-few', p: null, a: { interval: null, n: 1 } })
    expect(s.sentence).toBe('A has 1 finished run: comparing groups needs at least 2 finished runs in each, so nothing can be said yet.')
    expect(() =>
      groupSignificance(
        { id: 1, label: 'A', memberAccuracies: [], testSets: fm(0) },
        { id: 2, label: 'B', memberAccuracies: [0.8], testSets: fm(1) }
      )
    ).toThrow(/no finished runs/)
  })
})

describe('p-value wording', () => {
  it('never rounds a significant p up to the threshold', () => {
    expect(formatP(0.0004)).toBe('p < 0.001')
    expect(formatP(0.0042)).toBe('p = 0.0042')
    expect(formatP(0.0499)).toBe('p = 0.0499')
    expect(formatP(0.31)).toBe('p = 0.31')
    expect(formatP(1)).toBe('p = 1')
  })
})
