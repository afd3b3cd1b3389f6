import { describe, expect, it } from 'vitest'
import { parseHash, toHash, type Route } from '@renderer/stores/router'

describe('hash routes', () => {
  it('round-trips every view through the address', () => {
    for (const route of [
      { name: 'experiments' },
      { name: 'new' },
      { name: 'settings' },
      { name: 'run', id: 12 },
      { name: 'compare', ids: [3, 5, 9] },
      { name: 'compare', ids: [3], groupIds: [2, 7] },
      { name: 'sweeps' },
      { name: 'sweep-new' },
      { name: 'sweep', id: 4 },
      { name: 'workers' }
    ] satisfies Route[]) {
      expect(parseHash(toHash(route))).toEqual(route)
    }
  })

  it('falls back to the experiments list for addresses it does not know', () => {
    expect(parseHash('')).toEqual({ name: 'experiments' })
    expect(parseHash('#/runs/abc')).toEqual({ name: 'experiments' })
    expect(parseHash('#/compare/4,x,4,7')).toEqual({ name: 'compare', ids: [4, 7] })
    expect(parseHash('#/compare/g2,5,gx,g2')).toEqual({ name: 'compare', ids: [5], groupIds: [2] })
  })
})
