import { describe, expect, it } from 'vitest'
import { ago, plural, significant } from '@renderer/lib/format'

describe('significant', () => {
  it('rounds to four significant figures and drops trailing zeros', () => {
    expect(significant(0.0005234095063060522)).toBe('0.0005234')
    expect(significant(0.001)).toBe('0.001')
    expect(significant(0.0024777805088087917)).toBe('0.002478')
    expect(significant(0.5)).toBe('0.5')
    expect(significant(1e-7)).toBe('1e-7')
  })

  it('keeps integers whole and shows a dash for non-finite values', () => {
    expect(significant(12345)).toBe('12345')
    expect(significant(64)).toBe('64')
    expect(significant(Number.NaN)).toBe('—')
  })
})

describe('plural', () => {
  it('uses the singular for exactly one and groups thousands', () => {
    expect(plural(1, 'image')).toBe('1 image')
    expect(plural(0, 'image')).toBe('0 images')
    expect(plural(2446, 'image')).toBe('2,446 images')
    expect(plural(2, 'thread')).toBe('2 threads')
    expect(plural(1000, 'run', { grouping: false })).toBe('1000 runs')
    expect(plural(3, 'child', { nouns: 'children' })).toBe('3 children')
  })
})

describe('dates', () => {
  it('are written one way everywhere: the run page’s dates read like the list’s', async () => {
    const { dateTime, shortDateTime } = await import('@renderer/lib/format')
    const iso = '2025-03-07T09:05:00.000Z'
    expect(dateTime(iso)).toBe(shortDateTime(iso))
    expect(dateTime(iso)).toMatch(/^2025-03-0[67] \d\d:\d\d$/)
    expect(dateTime(null)).toBe('—')
  })
})

describe('ago', () => {
  it('says how long ago in the largest unit that fits, and "just now" for a clock a little ahead', () => {
    expect(ago(3_200)).toBe('3 s ago')
    expect(ago(4 * 60_000 + 10_000)).toBe('4 min ago')
    expect(ago(2 * 3_600_000)).toBe('2 h ago')
    expect(ago(3 * 86_400_000)).toBe('3 days ago')
    expect(ago(-1_500)).toBe('just now')
  })
})
