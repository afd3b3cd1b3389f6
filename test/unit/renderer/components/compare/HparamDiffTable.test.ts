import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { defaultHparams } from '@shared/hparams'
import type { RunDetail } from '@shared/run'
import HparamDiffTable from '@renderer/components/compare/HparamDiffTable.vue'
import { runColors } from '@renderer/lib/compareRuns'
import { makeRun } from '../../fixtures/fakeAtelier'
import { mountWithProviders } from '../../fixtures/mountWithProviders'
import { builtinRef } from '@shared/dataset'

function detail(id: number, learningRate: number, enabled: boolean): RunDetail {
  const base = defaultHparams('dense')
  return {
    ...makeRun({ id }),
    hparams: { ...base, seed: id, learningRate, reduceLrOnPlateau: { ...base.reduceLrOnPlateau, enabled } },
    notes: '',
    seed: id,
    datasetChecksum: null,
    dataset: builtinRef('fashion-mnist')!,
    backendInfo: null,
    appVersion: '0.0.0',
    history: [],
    metrics: null,
    resumePoints: []
  }
}

describe('HparamDiffTable', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it('shows differing values rounded for reading, with whole field names', () => {
    const runs = [detail(1, 0.0005234095063060522, false), detail(2, 0.0024777805088087917, true)]
    wrapper = mountWithProviders(HparamDiffTable, { runs, colors: runColors([1, 2]) })
    const cells = (path: string): string[] => wrapper.findAll(`[data-testid="hparam-diff-${path}"] td`).map((td) => td.text())
    expect(cells('learningRate')).toEqual(['learningRate', '0.0005234', '0.002478'])
    expect(cells('seed')).toEqual(['seed', '1', '2'])
    expect(cells('reduceLrOnPlateau.enabled')).toEqual(['reduceLrOnPlateau.enabled', 'no', 'yes'])
    // The exact value stays one hover away.
    expect(wrapper.get('[data-testid="hparam-diff-learningRate"] td.value').attributes('title')).toBe('0.0005234095063060522')
  })

  it('shows the dataset row when the runs trained on different datasets, and not when they share one', () => {
    const on = (id: number, dataset: string): RunDetail => {
      const r = detail(id, 0.001, false)
      return { ...r, hparams: { ...r.hparams, seed: 1, dataset }, dataset: builtinRef(dataset)! }
    }
    wrapper = mountWithProviders(HparamDiffTable, { runs: [on(1, 'mnist'), on(2, 'fashion-mnist')], colors: runColors([1, 2]) })
    expect(wrapper.findAll('[data-testid="hparam-diff-dataset"] td').map((td) => td.text())).toEqual(['dataset', 'mnist', 'fashion-mnist'])
    wrapper.unmount()
    wrapper = mountWithProviders(HparamDiffTable, { runs: [on(1, 'mnist'), on(2, 'mnist')], colors: runColors([1, 2]) })
    expect(wrapper.find('[data-testid="hparam-diff-dataset"]').exists()).toBe(false)
  })
})
