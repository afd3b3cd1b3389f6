import { describe, expect, it } from 'vitest'
import { buildRunColumns } from '@renderer/components/experiments/runColumns'

const base = {
  sort: { key: 'createdAt' as const, order: 'descend' as const },
  now: 0,
  progressOf: () => undefined,
  fractionOf: () => 0,
  onAction: () => undefined,
  onOpenGroup: () => undefined
}
type Col = { key?: string; type?: string; fixed?: string; resizable?: boolean; sorter?: unknown }

describe('experiments columns', () => {
  it('pin selection and a resizable Name on the left and the actions on the right', () => {
    const cols = buildRunColumns(base) as Col[]
    expect(cols[0]).toMatchObject({ type: 'selection', fixed: 'left' })
    expect(cols.find((c) => c.key === 'name')).toMatchObject({ fixed: 'left', resizable: true })
    expect(cols.at(-1)).toMatchObject({ key: 'actions', fixed: 'right' })
  })

  it('add a Sweep column when sweeps exist, and the chosen hyperparameters as sortable columns', () => {
    const keys = (buildRunColumns({ ...base, sweepNames: new Map([[1, 's']]), hpColumns: ['learningRate', 'batchSize'] }) as Col[]).map(
      (c) => c.key
    )
    expect(keys).toEqual(expect.arrayContaining(['sweep', 'hp.learningRate', 'hp.batchSize']))
    expect((buildRunColumns(base) as Col[]).some((c) => c.key === 'sweep')).toBe(false)
  })

  it('add a sortable Dataset column only when told the datasets of the runs', () => {
    const keys = (cols: Col[]) => cols.map((c) => c.key)
    expect(keys(buildRunColumns(base) as Col[])).not.toContain('hp.dataset')
    const withDatasets = buildRunColumns({ ...base, datasetTitles: new Map([['mnist', 'MNIST']]) }) as Col[]
    expect(withDatasets.find((c) => c.key === 'hp.dataset')).toMatchObject({ sorter: true })
  })
})
