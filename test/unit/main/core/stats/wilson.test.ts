import { describe, expect, it } from 'vitest'
import { wilsonInterval } from '@main/core/stats/wilson'

describe('Wilson score interval', () => {
  it('matches Newcombe (1998), Stat Med 17:857–872, Table II, method 3 (score interval without continuity correction)', () => {
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718]
    ]
    for (const [x, n, low, high] of cases) {
      const ci = wilsonInterval(x, n)
      expect(ci.low, `${x}/${n}`).toBeCloseTo(low, 4)
      expect(ci.high, `${x}/${n}`).toBeCloseTo(high, 4)
    }
  })

  it('stays inside [0, 1], touches an end only at 0 or n, and narrows with more images', () => {
    expect(wilsonInterval(20, 20)).toEqual({ low: expect.closeTo(1 - 0.1611, 4), high: 1 })
    const small = wilsonInterval(90, 100)
    const large = wilsonInterval(9000, 10000)
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 5)
    expect(large.low).toBeGreaterThan(0.89)
    expect(large.high).toBeLessThan(0.91)
  })

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 0)).toThrow(/at least one trial/)
    expect(() => wilsonInterval(11, 10)).toThrow(/from 0 to 10/)
  })
})
