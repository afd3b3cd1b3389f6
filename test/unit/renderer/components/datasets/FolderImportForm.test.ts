/** The folder import form checks its fields as they are filled, sends a valid import, and shows the report. */
import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import FolderImportForm from '@renderer/components/datasets/FolderImportForm.vue'
import { useDatasetsStore } from '@renderer/stores/datasets'
import { checkFolderForm, emptyFolderForm, suggestName } from '@renderer/lib/folderImportForm'
import { installFakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'
import { makeDataset, makeFolderDataset } from '../../fixtures/datasets'

async function typeInto(wrapper: VueWrapper, testid: string, value: string): Promise<void> {
  const input = wrapper.find(`[data-testid="${testid}"] input`)
  await input.setValue(value)
  await input.trigger('blur')
  await flush()
}

describe('folder import form rules', () => {
  it('suggests a name from the folder and refuses taken names, bad sizes and splits', () => {
    expect(suggestName('/home/me/My Photos (2024)/')).toBe('my-photos-2024')
    expect(suggestName('C:\\Users\\me\\Café')).toBe('cafe')
    const taken = new Set(['fashion-mnist'])
    const bad = checkFolderForm({ ...emptyFolderForm(), folder: '/p', name: 'fashion-mnist', size: 4, testSplit: 1 }, taken)
    expect(Object.keys(bad.errors).sort()).toEqual(['name', 'size', 'testSplit'])
    expect(bad.errors.name).toContain('exists already')
    expect(bad.options).toBeNull()
    const good = checkFolderForm({ ...emptyFolderForm(), folder: '/p', name: 'pets', size: 32, color: 'rgb' }, taken)
    expect(good.options).toEqual({ folder: '/p', name: 'pets', size: 32, color: 'rgb', testSplit: 0.2, seed: 0 })
  })
})

describe('FolderImportForm', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it('shows what is wrong inline and sends nothing until it is fixed', async () => {
    const fake = installFakeAtelier({ 'datasets.list': () => [makeDataset()] })
    wrapper = mountWithProviders(FolderImportForm)
    await useDatasetsStore().load()
    await wrapper.get('[data-testid="folder-import-submit"]').trigger('click')
    await flush()
    expect(wrapper.text()).toContain('Choose the folder to import')
    expect(wrapper.get('[data-testid="folder-import-invalid"]').text()).toContain('Fix the highlighted fields')
    await typeInto(wrapper, 'folder-import-path', '/srv/Fashion MNIST')
    // The name follows the folder, and that one is taken.
    expect(wrapper.text()).toContain('A dataset named fashion-mnist exists already')
    await typeInto(wrapper, 'folder-import-name', 'Bad Name')
    expect(wrapper.text()).toContain('Use 1–40 lower-case letters, digits and dashes')
    await wrapper.get('[data-testid="folder-import-submit"]').trigger('click')
    await flush()
    expect(fake.callsTo('datasets.addFolder')).toHaveLength(0)
  })

  it('imports a valid folder and shows its report: imported, skipped with reasons, duplicates', async () => {
    const fake = installFakeAtelier({
      'datasets.list': () => [makeDataset()],
      'datasets.addFolder': () => makeFolderDataset()
    })
    wrapper = mountWithProviders(FolderImportForm)
    await useDatasetsStore().load()
    await typeInto(wrapper, 'folder-import-path', '/photos')
    await typeInto(wrapper, 'folder-import-name', 'my-photos')
    await wrapper.get('[data-testid="folder-import-submit"]').trigger('click')
    await flush()
    expect(fake.callsTo('datasets.addFolder')).toEqual([{ name: 'my-photos', folder: '/photos', testSplit: 0.2, seed: 0 }])
    const report = wrapper.get('[data-testid="dataset-import-report"]').text()
    expect(report).toContain('12 imported')
    expect(report).toContain('1 skipped')
    expect(report).toContain('1 duplicate')
    expect(wrapper.get('[data-testid="folder-import-done"]').text()).toContain('my-photos is ready')
  })

  it('says what happened when the import fails, and that nothing was added', async () => {
    installFakeAtelier({
      'datasets.list': () => [],
      'datasets.addFolder': () => ({ ok: false, error: { code: 'invalid_request', message: '/empty holds no class folders' } })
    })
    wrapper = mountWithProviders(FolderImportForm)
    await typeInto(wrapper, 'folder-import-path', '/empty')
    await wrapper.get('[data-testid="folder-import-submit"]').trigger('click')
    await flush()
    const failure = wrapper.get('[data-testid="folder-import-failure"]').text()
    expect(failure).toContain('/empty holds no class folders')
    expect(failure).toContain('No dataset was added')
  })
})
