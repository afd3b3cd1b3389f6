import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { DatasetStatus } from '@shared/api'
import { useDatasetStore } from '@renderer/stores/dataset'
import { installFakeAtelier } from '../fixtures/fakeAtelier'

const missing: DatasetStatus = {
  ready: false,
  dir: '/data/fashion-mnist',
  files: [
    { name: 'train-images-idx3-ubyte.gz', present: false },
    { name: 't10k-images-idx3-ubyte.gz', present: false }
  ],
  problem: '2 of 4 files are missing'
}

describe('dataset store, import from a folder', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('stays quiet when the person cancels the folder dialog (main answers with the unchanged status)', async () => {
    installFakeAtelier({ 'dataset.status': () => missing, 'dataset.import': () => structuredClone(missing) })
    const store = useDatasetStore()
    await store.refresh()
    expect(await store.importFolder(null)).toBe('cancelled')
    expect(store.failure).toBeNull()
    expect(store.busy).toBeNull()
  })

  it('reports a chosen folder that left the dataset incomplete', async () => {
    const partly: DatasetStatus = {
      ...missing,
      files: [{ ...missing.files[0]!, present: true }, missing.files[1]!],
      problem: '1 of 4 files is missing'
    }
    installFakeAtelier({ 'dataset.status': () => missing, 'dataset.import': () => partly })
    const store = useDatasetStore()
    await store.refresh()
    expect(await store.importFolder(null)).toBe('incomplete')
    expect(store.failure).toBe('1 of 4 files is missing')
  })

  it('reports an unchanged status when the folder was given, not picked in a dialog', async () => {
    installFakeAtelier({ 'dataset.status': () => missing, 'dataset.import': () => missing })
    const store = useDatasetStore()
    await store.refresh()
    expect(await store.importFolder('/somewhere')).toBe('incomplete')
    expect(store.failure).toBe(missing.problem)
  })

  it('names a picked file that is not a dataset file in a grammatical sentence, sending nothing', async () => {
    installFakeAtelier({ 'dataset.status': () => missing })
    const store = useDatasetStore()
    await store.refresh()
    await expect(store.importFiles([new File(['x'], 'sneaker.png')])).rejects.toThrow()
    expect(store.failure).toMatch(
      /^sneaker\.png is not one of the four Fashion-MNIST files \(expected train-images-idx3-ubyte\.gz, .*nothing was imported$/
    )
    await expect(store.importFiles([new File(['x'], 'a.png'), new File(['y'], 'b.png')])).rejects.toThrow()
    expect(store.failure).toMatch(/^a\.png, b\.png are not among the four Fashion-MNIST files/)
  })
})
