import { describe, expect, it } from 'vitest'
import { meanInterval, welchTTest } from '@main/core/stats/welch'

// R's `sleep` data (Cushny & Peebles 1905), the example of ?t.test.
const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

describe("Welch's t-test", () => {
  it("matches R's t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p-value = 0.07939", () => {
    const r = welchTTest(group2, group1)
    if (!r.ok) throw new Error('expected a result')
    // welchTTest(a, b) tests mean(b) − mean(a); R reports group1 − group2.
    expect(r.t).toBeCloseTo(-1.8608, 4)
    expect(r.df).toBeCloseTo(17.776, 3)
    expect(r.p).toBeCloseTo(0.07939, 5)
    expect(r.difference).toBeCloseTo(0.75 - 2.33, 10)
  })

  it('says "too few" when a group has fewer than two members', () => {
    expect(welchTTest([0.9], [0.8, 0.85])).toEqual({ ok: false, reason: 'too-few' })
    expect(welchTTest([0.9, 0.91], [])).toEqual({ ok: false, reason: 'too-few' })
  })

  it('handles groups without any spread', () => {
    expect(welchTTest([0.9, 0.9], [0.9, 0.9])).toMatchObject({ ok: true, p: 1, difference: 0 })
    expect(welchTTest([0.8, 0.8], [0.9, 0.9])).toMatchObject({ ok: true, p: 0 })
  })

  it("gives R's one-sample t interval of a mean: t.test(sleep$extra[1:10]) 95 percent CI -0.5297804 2.0297804", () => {
    const { mean, interval } = meanInterval(group1)
    expect(mean).toBeCloseTo(0.75, 10)
    expect(interval!.low).toBeCloseTo(-0.5297804, 6)
    expect(interval!.high).toBeCloseTo(2.0297804, 6)
    expect(meanInterval([0.9]).interval).toBeNull()
  })
})
