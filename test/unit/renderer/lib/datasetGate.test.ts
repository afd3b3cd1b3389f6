import { describe, expect, it } from 'vitest'
import { datasetGate } from '@renderer/lib/datasetGate'

describe('datasetGate', () => {
  it('never hides the history: without the dataset, runs, Compare and Sweeps show with a banner', () => {
    for (const route of ['experiments', 'run', 'compare', 'sweeps', 'sweep'] as const) {
      expect(datasetGate({ route, ready: false, runCount: 5 })).toBe('banner')
    }
    expect(datasetGate({ route: 'settings', ready: false, runCount: 5 })).toBe('none')
  })

  it('puts the dataset screen only where training starts, on a first start, and on its own page', () => {
    expect(datasetGate({ route: 'new', ready: false, runCount: 5 })).toBe('screen')
    expect(datasetGate({ route: 'sweep-new', ready: false, runCount: 5 })).toBe('screen')
    expect(datasetGate({ route: 'experiments', ready: false, runCount: 0 })).toBe('screen')
    expect(datasetGate({ route: 'dataset', ready: true, runCount: 5 })).toBe('screen')
    expect(datasetGate({ route: 'new', ready: true, runCount: 0 })).toBe('none')
  })
})
