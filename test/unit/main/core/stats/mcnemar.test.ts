import { describe, expect, it } from 'vitest'
import { mcnemarExactP, pairedCounts } from '@main/core/stats/mcnemar'

/** Exact two-sided p from rational arithmetic: 2·Σ_{i≤k} C(n, i) / 2^n, an independent ground truth. */
function exactP(k: number, n: number): number {
  let c = 1n
  let sum = 0n
  for (let i = 0; i <= k; i++) {
    sum += c
    c = (c * BigInt(n - i)) / BigInt(i + 1)
  }
  // Scale before dividing so the ratio keeps ~15 significant digits however small it is.
  const total = 1n << BigInt(n)
  const scale = BigInt(Math.max(0, total.toString().length - sum.toString().length + 20))
  const ratio = Number((sum * 10n ** scale) / total) / 10 ** Number(scale)
  return Math.min(1, 2 * ratio)
}

describe("McNemar's exact test", () => {
  it('matches published exact conditional p-values', () => {
    // Fagerland, Lydersen & Laake, "Statistical Analysis of Contingency Tables" (2017), ch. 8, as printed by
    // R's contingencytables::McNemar_exact_cond_test_paired_2x2 (tests/testthat/test-ch8.R):
    // Cavo et al. (2012), discordant cells 6 and 16: "P = 0.052479".
    expect(mcnemarExactP({ aOnly: 6, bOnly: 16 })).toBeCloseTo(0.052479, 6)
    // Bentur et al. (2009), discordant cells 1 and 7: P = 0.070313 (Fagerland et al. 2013, BMC Med Res Methodol 13:91).
    expect(mcnemarExactP({ aOnly: 7, bOnly: 1 })).toBeCloseTo(0.070313, 6)
    // exact2x2 vignette "exactMcNemar": x <- matrix(c(21,9,2,12),2,2); mcnemar.exact(x) gives p-value = 0.06543.
    expect(mcnemarExactP({ aOnly: 9, bOnly: 2 })).toBeCloseTo(0.06543, 5)
  })

  it('is symmetric in A and B and exact far into the tail (3.8e-38 for 400 against 853)', () => {
    for (const [b, c] of [
      [86, 150],
      [400, 853],
      [2000, 2150]
    ] as const) {
      const p = mcnemarExactP({ aOnly: b, bOnly: c })
      expect(p).toBe(mcnemarExactP({ aOnly: c, bOnly: b }))
      // jStat's log-gamma limits relative precision to ~1e-7 here; plenty for a p-value.
      expect(p / exactP(Math.min(b, c), b + c)).toBeCloseTo(1, 6)
    }
    // Beyond double precision (about 1e-540) it is 0, never NaN.
    expect(mcnemarExactP({ aOnly: 12, bOnly: 1900 })).toBe(0)
  })

  it('gives p = 1 with no discordant images or an even split', () => {
    expect(mcnemarExactP({ aOnly: 0, bOnly: 0 })).toBe(1)
    expect(mcnemarExactP({ aOnly: 40, bOnly: 40 })).toBe(1)
    // One-sided all the way with 5 discordant images: 2 / 32.
    expect(mcnemarExactP({ aOnly: 0, bOnly: 5 })).toBeCloseTo(0.0625, 12)
  })

  it('counts the paired table from labels and two prediction arrays', () => {
    const labels = [0, 1, 2, 3, 4, 5]
    const a = [0, 1, 2, 9, 9, 9]
    const b = [0, 9, 2, 3, 4, 9]
    expect(pairedCounts(labels, a, b)).toEqual({ bothRight: 2, aOnly: 1, bOnly: 2, bothWrong: 1 })
    expect(() => pairedCounts(labels, a, b.slice(1))).toThrow(/same images/)
  })
})
