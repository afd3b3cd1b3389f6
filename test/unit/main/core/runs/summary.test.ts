import { describe, expect, it } from 'vitest'
import type { RunDetail, RunSummary } from '@shared/run'
import { toSummary } from '@main/core/runs/summary'

const summary: RunSummary = {
  id: 3,
  name: 'dense lr 0.001',
  preset: 'dense',
  architectureName: null,
  status: 'completed',
  createdAt: '2026-12-01T10:00:00.000Z',
  startedAt: '2026-12-01T10:00:01.000Z',
  finishedAt: '2026-12-01T10:01:00.000Z',
  epochsDone: 2,
  epochsPlanned: 2,
  bestValAccuracy: 0.84,
  testAccuracy: 0.83,
  testLoss: 0.47,
  backend: 'wasm',
  tags: ['baseline'],
  errorMessage: null,
  groupId: null,
  sweepId: 4,
  hp: { learningRate: 0.001 },
  notes: 'first try',
  version: 9,
  trainingMs: 55_000,
  ownedElsewhere: false
}

describe('toSummary', () => {
  it('keeps every list-row field of a detail and drops the history and the rest', () => {
    const detail = { ...summary, history: [{ epoch: 1 }], hparams: { epochs: 2 }, seed: 42, appVersion: '0.2.0' } as unknown as RunDetail
    const row = toSummary(detail)
    expect(row).toEqual(summary)
    expect(Object.keys(row).sort()).toEqual(Object.keys(summary).sort())
  })
})
