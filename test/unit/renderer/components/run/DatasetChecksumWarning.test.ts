import { describe, expect, it } from 'vitest'
import type { RunDetail } from '@shared/run'
import { defaultHparams } from '@shared/hparams'
import { OFFICIAL_DATASET_CHECKSUM } from '@shared/dataset-checksum'
import DatasetChecksumWarning from '@renderer/components/run/DatasetChecksumWarning.vue'
import { makeRun } from '../../fixtures/fakeAtelier'
import { mountWithProviders } from '../../fixtures/mountWithProviders'
import { builtinRef } from '@shared/dataset'

function detail(datasetChecksum: string | null): RunDetail {
  return {
    ...makeRun({ id: 1, preset: 'dense', backend: 'wasm' }),
    hparams: defaultHparams('dense'),
    notes: '',
    seed: 42,
    datasetChecksum,
    dataset: builtinRef('fashion-mnist')!,
    backendInfo: { name: 'wasm', threads: 1, versions: {} },
    appVersion: '0.1.0',
    history: [],
    metrics: null,
    resumePoints: []
  }
}

const shown = (): string | null | undefined => document.querySelector('[data-testid="run-dataset-warning"]')?.textContent

describe('DatasetChecksumWarning', () => {
  it('warns in the run view when the run trained on files that are not the official ones', () => {
    const wrapper = mountWithProviders(DatasetChecksumWarning, { run: detail('ab'.repeat(32)) })
    expect(shown()).toMatch(/not the official Fashion-MNIST files .*cannot be compared/)
    wrapper.unmount()
  })

  it('stays quiet for the official files and before a run recorded its dataset', () => {
    for (const checksum of [OFFICIAL_DATASET_CHECKSUM, null]) {
      const wrapper = mountWithProviders(DatasetChecksumWarning, { run: detail(checksum) })
      expect(shown()).toBeUndefined()
      wrapper.unmount()
    }
  })
})

describe('DatasetChecksumWarning on other datasets', () => {
  const photos = {
    ...builtinRef('cifar10')!,
    name: 'my-photos',
    title: 'my-photos',
    source: 'folder' as const,
    contentHash: 'cd'.repeat(32)
  }

  it('never calls a folder dataset “not the official Fashion-MNIST files”', () => {
    const wrapper = mountWithProviders(DatasetChecksumWarning, { run: { ...detail('cd'.repeat(32)), dataset: photos } })
    expect(shown()).toBeUndefined()
    wrapper.unmount()
  })

  it('says when the run trained on other files than the dataset holds now', () => {
    const wrapper = mountWithProviders(DatasetChecksumWarning, { run: { ...detail('ef'.repeat(32)), dataset: photos } })
    expect(shown()).toContain('Not the my-photos files the store holds now')
    expect(shown()).toContain('efefefefefef')
    expect(shown()).not.toContain('Fashion-MNIST')
    wrapper.unmount()
  })
})
