/** The Datasets view lists every dataset with its facts and opens one with its samples and class counts. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import type { VueWrapper } from '@vue/test-utils'
import { builtinRef, type DatasetSamples } from '@shared/dataset'
import DatasetsView from '@renderer/components/datasets/DatasetsView.vue'
import { installFakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'
import { makeDataset, makeFolderDataset } from '../../fixtures/datasets'

// ECharts needs a real canvas; the chart's own options are tested with classCountChart.
vi.mock('@renderer/components/charts/ChartPanel.vue', () => ({
  default: defineComponent({
    props: { title: String, testid: String },
    setup: (props) => () => h('div', { 'data-testid': props.testid }, props.title)
  })
}))

const mnistMissing = makeDataset({
  ...builtinRef('mnist')!,
  description: 'Handwritten digits.',
  ready: false,
  problem: 'Not downloaded yet: download it, or import its four official files.',
  contentHash: null,
  createdAt: null,
  location: '/data/mnist'
})
const photos = makeFolderDataset({ runCount: 2 })
const photoSamples: DatasetSamples = {
  shape: photos.shape,
  classNames: photos.classNames,
  images: [new Uint8Array(12 * 2), new Uint8Array(12)],
  trainPerClass: [5, 3],
  testPerClass: [2, 2]
}

describe('DatasetsView', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it('lists each dataset with source, shape, classes, sizes, short hash, state and runs', async () => {
    installFakeAtelier({
      'datasets.list': () => [makeDataset({ runCount: 12 }), mnistMissing, photos],
      'datasets.samples': () => ({ ...photoSamples, classNames: builtinRef('fashion-mnist')!.classNames, images: [] })
    })
    wrapper = mountWithProviders(DatasetsView)
    await flush()
    const row = (name: string) => wrapper.get(`[data-testid="dataset-row-${name}"]`).text()
    expect(row('fashion-mnist')).toMatch(/Fashion-MNIST.*built-in.*28×28 gray.*10.*60,000 \/ 10,000.*aaaaaaaaaaaa.*ready.*12/)
    expect(row('mnist')).toContain('not downloaded')
    expect(row('my-photos')).toMatch(/folder.*2×2 RGB.*2.*8 \/ 4.*bbbbbbbbbbbb.*ready.*2/)
  })

  it('opens a dataset with a row of samples per class, named, and offers a download for a built-in not on disk', async () => {
    const fake = installFakeAtelier({
      'datasets.list': () => [makeDataset(), mnistMissing, photos],
      'datasets.samples': () => photoSamples
    })
    wrapper = mountWithProviders(DatasetsView, { open: 'my-photos' })
    await flush()
    expect(fake.callsTo('datasets.samples')).toEqual([{ name: 'my-photos', perClass: 6 }])
    const grid = wrapper.get('[data-testid="dataset-sample-grid"]')
    expect(grid.findAll('[data-testid="dataset-sample-class"]').map((c) => c.attributes('title'))).toEqual(photos.classNames)
    expect(wrapper.get('[data-testid="dataset-samples-0"]').findAll('canvas')).toHaveLength(2)
    expect(wrapper.get('[data-testid="dataset-samples-1"]').findAll('canvas')).toHaveLength(1)
    expect(wrapper.get('[data-testid="dataset-import-report"]').text()).toContain('12 imported')
    wrapper.unmount()

    wrapper = mountWithProviders(DatasetsView, { open: 'mnist' })
    await flush()
    expect(wrapper.get('[data-testid="dataset-detail-problem"]').text()).toContain('Not downloaded yet')
    expect(wrapper.find('[data-testid="dataset-download-builtin"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="dataset-sample-grid"]').exists()).toBe(false)
  })

  it('says when the list cannot be read, and keeps a Retry', async () => {
    installFakeAtelier({ 'datasets.list': () => ({ ok: false, error: { code: 'failed', message: 'the store is locked' } }) })
    wrapper = mountWithProviders(DatasetsView)
    await flush()
    expect(wrapper.get('[data-testid="datasets-failure"]').text()).toContain('the store is locked')
    expect(wrapper.find('[data-testid="datasets-retry"]').exists()).toBe(true)
  })
})

describe('classCountChart', () => {
  it('puts train and test counts side by side per class and measures the imbalance', async () => {
    const { classCountChart, imbalanceRatio } = await import('@renderer/lib/charts/classCountChart')
    const { option, table } = classCountChart({ title: 't', classNames: ['a', 'b'], trainPerClass: [90, 10], testPerClass: [9, 1] })
    expect((option.series as Array<{ name: string; data: number[] }>).map((s) => [s.name, s.data])).toEqual([
      ['train', [90, 10]],
      ['test', [9, 1]]
    ])
    expect(table.rows).toEqual([
      ['a', 90, 9],
      ['b', 10, 1]
    ])
    expect(imbalanceRatio([90, 10])).toBe(9)
    expect(imbalanceRatio([5, 0])).toBe(Infinity)
  })
})
