import { describe, expect, it } from 'vitest'
import { isGroupRow, withGroupRows } from '@renderer/lib/groupRows'
import { queryRuns, emptyFilter, type RunSort } from '@renderer/lib/runQuery'
import { makeRun } from '../fixtures/fakeAtelier'

describe('group rows', () => {
  const all = [
    makeRun({ id: 1, groupId: 7, testAccuracy: 0.8, bestValAccuracy: 0.81 }),
    makeRun({ id: 2 }),
    makeRun({ id: 3, groupId: 7, testAccuracy: 0.84, bestValAccuracy: 0.85 }),
    makeRun({ id: 4, groupId: 7, testAccuracy: null, status: 'running', bestValAccuracy: 0.5 })
  ]

  it('shows a group once, where its first visible member sorts, with mean ± sample std over every member', () => {
    const rows = withGroupRows({ visible: [all[2]!, all[1]!, all[0]!], all, names: new Map([[7, 'dense × 3 seeds']]) })
    expect(rows.map((r) => (isGroupRow(r) ? r.key : r.id))).toEqual(['g7', 2])
    const group = rows[0]!
    if (!isGroupRow(group)) throw new Error('expected a group row')
    expect(group.name).toBe('dense × 3 seeds')
    expect(group.children.map((r) => r.id)).toEqual([3, 1])
    expect(group.testAccuracy!.n).toBe(2)
    expect(group.testAccuracy!.mean).toBeCloseTo(0.82, 12)
    // Sample std of 0.80 and 0.84 (n − 1): 0.02·√2.
    expect(group.testAccuracy!.std).toBeCloseTo(0.02 * Math.SQRT2, 12)
    expect(group.bestValAccuracy!.n).toBe(3)
  })

  it('keeps a group’s figures when the filter hides some members', () => {
    const rows = withGroupRows({ visible: [all[0]!], all, names: new Map() })
    const group = rows[0]!
    if (!isGroupRow(group)) throw new Error('expected a group row')
    expect(group.name).toBe('Group 7')
    expect(group.children).toHaveLength(1)
    expect(group.testAccuracy!.n).toBe(2)
  })

  it('sorts a group row by the mean it shows, not by its best member', () => {
    // Group 7: 0.80 and 0.77 (mean 0.785, best 0.80); a single run at 0.79 sits between mean and best.
    const runs = [
      makeRun({ id: 1, groupId: 7, testAccuracy: 0.8, bestValAccuracy: 0.8 }),
      makeRun({ id: 2, groupId: 7, testAccuracy: 0.77, bestValAccuracy: 0.77 }),
      makeRun({ id: 3, testAccuracy: 0.79, bestValAccuracy: 0.79 }),
      makeRun({ id: 4, testAccuracy: null, bestValAccuracy: null })
    ]
    const keys = (sort: RunSort) =>
      withGroupRows({ visible: queryRuns(runs, emptyFilter(), sort), all: runs, names: new Map(), sort }).map((r) =>
        isGroupRow(r) ? r.key : r.id
      )
    expect(keys({ key: 'testAccuracy', order: 'descend' })).toEqual([3, 'g7', 4])
    expect(keys({ key: 'testAccuracy', order: 'ascend' })).toEqual(['g7', 3, 4])
    expect(keys({ key: 'bestValAccuracy', order: 'descend' })).toEqual([3, 'g7', 4])
  })
})
