/** Removing a dataset says how many runs use it and removes them only when asked to. */
import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import DatasetRemoveDialog from '@renderer/components/datasets/DatasetRemoveDialog.vue'
import { removalText } from '@renderer/lib/datasetText'
import { installFakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'
import { makeFolderDataset } from '../../fixtures/datasets'

describe('removalText', () => {
  it('states the number of runs and offers to delete them; says nothing else changes when no run uses it', () => {
    const used = removalText(makeFolderDataset({ runCount: 3 }))
    expect(used.body).toContain('3 runs trained on my-photos')
    expect(used.withRuns).toBe('Also delete the 3 runs that use it')
    const one = removalText(makeFolderDataset({ runCount: 1 }))
    expect(one.body).toContain('1 run trained on my-photos')
    const unused = removalText(makeFolderDataset({ runCount: 0 }))
    expect(unused.withRuns).toBeNull()
    expect(unused.body).toContain('No run uses it')
  })
})

describe('DatasetRemoveDialog', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it('refuses to remove a dataset in use until the runs are ticked for deletion too', async () => {
    const fake = installFakeAtelier({
      'datasets.remove': (req) => ({ removed: req.name, runsDeleted: req.withRuns ? 3 : 0 }),
      'datasets.list': () => []
    })
    wrapper = mountWithProviders(DatasetRemoveDialog, { modelValue: makeFolderDataset({ runCount: 3 }) })
    await flush()
    const body = () => document.body
    expect(body().querySelector('[data-testid="dataset-remove-text"]')?.textContent).toContain('3 runs trained on my-photos')
    const confirm = () => body().querySelector('[data-testid="dataset-remove-confirm"]') as HTMLButtonElement
    expect(confirm().disabled).toBe(true)
    ;(body().querySelector('[data-testid="dataset-remove-with-runs"]') as HTMLElement).click()
    await flush()
    expect(confirm().textContent).toContain('Remove it and its 3 runs')
    confirm().click()
    await flush()
    expect(fake.callsTo('datasets.remove')).toEqual([{ name: 'my-photos', withRuns: true }])
  })
})
