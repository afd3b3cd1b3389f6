import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { DatasetStatus } from '@shared/api'
import DatasetScreen from '@renderer/components/dataset/DatasetScreen.vue'
import { useDatasetStore } from '@renderer/stores/dataset'
import { installFakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

const missing: DatasetStatus = {
  ready: false,
  dir: '/data/fashion-mnist',
  files: [{ name: 'train-images-idx3-ubyte.gz', present: false }],
  problem: 'Missing in /data/fashion-mnist: train-images-idx3-ubyte.gz'
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1

describe('DatasetScreen', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it('shows a failed download once, beside its Retry, with advice about the connection', async () => {
    installFakeAtelier({
      'dataset.status': () => missing,
      'dataset.download': () => ({ ok: false, error: { code: 'failed', message: 'getaddrinfo ENOTFOUND fashion-mnist mirror' } })
    })
    wrapper = mountWithProviders(DatasetScreen)
    await useDatasetStore().refresh()
    await wrapper.get('[data-testid="dataset-download"]').trigger('click')
    await flush()
    expect(occurrences(document.body.textContent ?? '', 'ENOTFOUND')).toBe(1)
    expect(wrapper.get('[data-testid="dataset-failure-advice"]').text()).toContain('Check the internet connection')
  })

  it('advises about the files, not the connection, when an import fails', async () => {
    installFakeAtelier({
      'dataset.status': () => missing,
      'dataset.importFiles': () => ({ ok: false, error: { code: 'conflict', message: 'train-images-idx3-ubyte.gz is truncated' } })
    })
    wrapper = mountWithProviders(DatasetScreen)
    await useDatasetStore().refresh()
    const input = wrapper.get('[data-testid="dataset-files-input"]')
    const file = new File([new Uint8Array(10)], 'train-images-idx3-ubyte.gz')
    Object.defineProperty(input.element, 'files', { value: [file] })
    await input.trigger('change')
    await flush()
    expect(occurrences(document.body.textContent ?? '', 'is truncated')).toBe(1)
    const advice = wrapper.get('[data-testid="dataset-failure-advice"]').text()
    expect(advice).toContain('Pick the four Fashion-MNIST files')
    expect(advice).not.toMatch(/connection/i)
  })
})
