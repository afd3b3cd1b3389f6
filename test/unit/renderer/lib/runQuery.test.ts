import { describe, expect, it } from 'vitest'
import { emptyFilter, isSortKey, queryRuns } from '@renderer/lib/runQuery'
import { hpCell } from '@renderer/components/experiments/runColumns'
import { makeRun } from '../fixtures/fakeAtelier'

const runs = [
  makeRun({ id: 1, name: 'sweep 3 · lr 0.0003 · batch 32', sweepId: 3, hp: { learningRate: 0.0003, batchSize: 32 } }),
  makeRun({ id: 2, name: 'sweep 3 · lr 0.003 · batch 64', sweepId: 3, hp: { learningRate: 0.003, batchSize: 64 } }),
  makeRun({ id: 3, name: 'baseline', notes: 'Augmentation off; compare with the flip run', hp: { learningRate: 0.001, batchSize: 64 } })
]
const ids = (list: { id: number }[]) => list.map((r) => r.id)

describe('run list query', () => {
  it('finds a run by words in its notes', () => {
    expect(ids(queryRuns(runs, { ...emptyFilter(), text: 'flip' }, { key: 'createdAt', order: 'descend' }))).toEqual([3])
  })

  it('keeps only the runs of the chosen sweeps', () => {
    expect(ids(queryRuns(runs, { ...emptyFilter(), sweepIds: [3] }, { key: 'createdAt', order: 'ascend' }))).toEqual([1, 2])
  })

  it('keeps the runs of the chosen datasets; runs from before datasets count as Fashion-MNIST', () => {
    const mixed = [...runs, makeRun({ id: 4, name: 'digits', hp: { dataset: 'mnist', learningRate: 0.001 } })]
    const sort = { key: 'createdAt', order: 'ascend' } as const
    expect(ids(queryRuns(mixed, { ...emptyFilter(), datasets: ['mnist'] }, sort))).toEqual([4])
    expect(ids(queryRuns(mixed, { ...emptyFilter(), datasets: ['fashion-mnist'] }, sort))).toEqual([1, 2, 3])
    expect(ids(queryRuns(mixed, { ...emptyFilter(), text: 'mnist' }, sort))).toEqual([1, 2, 3, 4])
    expect(ids(queryRuns(mixed, emptyFilter(), { key: 'hp.dataset', order: 'descend' }))[0]).toBe(4)
  })

  it('sorts by a hyperparameter column', () => {
    expect(isSortKey('hp.learningRate')).toBe(true)
    expect(isSortKey('hp.')).toBe(false)
    expect(ids(queryRuns(runs, emptyFilter(), { key: 'hp.learningRate', order: 'descend' }))).toEqual([2, 3, 1])
  })

  it('writes hyperparameters as a person reads them', () => {
    expect(hpCell(0.000316227766)).toBe('0.0003162')
    expect(hpCell(true)).toBe('on')
    expect(hpCell(null)).toBe('—')
    expect(hpCell(undefined)).toBe('—')
  })
})
