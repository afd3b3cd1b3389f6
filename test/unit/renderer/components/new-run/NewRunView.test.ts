import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { defaultHparams, type Hparams } from '@shared/hparams'
import { parameterCount } from '@shared/presets'
import NewRunView from '@renderer/components/new-run/NewRunView.vue'
import { useRouterStore } from '@renderer/stores/router'
import { useSettingsStore } from '@renderer/stores/settings'
import type { Settings } from '@shared/api'
import { installFakeAtelier, makeRun, type FakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'
import { makeDataset, makeFolderDataset } from '../../fixtures/datasets'

async function typeInto(wrapper: VueWrapper, testid: string, value: string): Promise<void> {
  const input = wrapper.find(`[data-testid="${testid}"] input`)
  await input.setValue(value)
  await input.trigger('blur')
  await flush()
}

describe('NewRunView', () => {
  let fake: FakeAtelier
  let wrapper: VueWrapper

  beforeEach(() => {
    fake = installFakeAtelier({
      'runs.start': (req) => makeRun({ id: 41, status: 'queued', preset: req.hparams.preset, epochsPlanned: req.hparams.epochs })
    })
    location.hash = ''
  })
  afterEach(() => wrapper?.unmount())

  it('shows a message for invalid epochs and starts nothing', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await typeInto(wrapper, 'hp-epochs', '0')
    expect(wrapper.text()).toContain('Epochs must be a whole number between 1 and 500')
    expect(wrapper.text()).not.toMatch(/too small|expected number/i)
    const start = wrapper.get('[data-testid="start-run"]')
    expect(start.attributes('disabled')).toBeDefined()
    await start.trigger('click')
    await flush()
    expect(fake.callsTo('runs.start')).toHaveLength(0)
  })

  it('starts a run with the edited values and opens it', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await wrapper.get('[data-testid="preset-cnn-deep"]').trigger('click')
    await flush()
    await typeInto(wrapper, 'hp-epochs', '3')
    await wrapper.get('[data-testid="start-run"]').trigger('click')
    await flush()
    const calls = fake.callsTo('runs.start') as Array<{ hparams: Hparams }>
    expect(calls).toHaveLength(1)
    expect(calls[0].hparams).toEqual({ ...defaultHparams('cnn-deep'), epochs: 3 })
    expect(useRouterStore().route).toEqual({ name: 'run', id: 41 })
  })

  it('shows each preset with its parameter count', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    const text = wrapper.get('[data-testid="preset-params-cnn-bn"]').text()
    expect(text).toContain(parameterCount('cnn-bn').toLocaleString('en-US'))
  })

  it('shows field errors main sends back and keeps the form', async () => {
    fake = installFakeAtelier({
      'runs.start': () => ({
        ok: false,
        error: {
          code: 'invalid_request',
          message: 'Invalid request',
          fieldErrors: [{ path: 'hparams.batchSize', message: 'Too large for this machine' }]
        }
      })
    })
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await wrapper.get('[data-testid="start-run"]').trigger('click')
    await flush()
    expect(wrapper.get('[data-testid="server-errors"]').text()).toContain('Batch size: Too large for this machine')
    expect(useRouterStore().route.name).not.toBe('run')
  })

  it('warns, without blocking, about a batch larger than the training set and a learning rate of 0.1 or more', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    expect(wrapper.find('[data-testid="hparam-warnings"]').exists()).toBe(false)
    await wrapper.get('[data-testid="hp-trainSubset-enabled"]').trigger('click')
    await flush()
    await typeInto(wrapper, 'hp-trainSubset', '100')
    await typeInto(wrapper, 'hp-batchSize', '4096')
    await typeInto(wrapper, 'hp-learningRate', '1')
    const warning = wrapper.get('[data-testid="hparam-warnings"]').text()
    expect(warning).toContain('Batch size 4096 is larger than the 90 training images')
    expect(warning).toContain('Learning rate 1 is very high for Adam')
    expect(wrapper.get('[data-testid="start-run"]').attributes('disabled')).toBeUndefined()
  })

  it('remembers the settings of the last run started and opens with them next time', async () => {
    const base: Settings = { dataDir: '/d', dbPath: '/db', concurrency: 1, theme: 'light' }
    fake = installFakeAtelier({
      'runs.start': () => makeRun({ id: 42, status: 'queued' }),
      'settings.update': (patch) => ({ ...base, ...patch })
    })
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await wrapper.get('[data-testid="preset-cnn-shallow"]').trigger('click')
    await flush()
    await typeInto(wrapper, 'hp-epochs', '7')
    await typeInto(wrapper, 'hp-learningRate', '0.003')
    await wrapper.get('[data-testid="start-run"]').trigger('click')
    await flush()
    const saved = fake.callsTo('settings.update') as Array<Partial<Settings>>
    expect(saved).toEqual([
      { newRunDefaults: { hparams: { ...defaultHparams('cnn-shallow'), epochs: 7, learningRate: 0.003 }, repeats: 1 } }
    ])
    wrapper.unmount()
    // A new visit to the form (the same app, whose settings now hold the last run's values).
    const settings = useSettingsStore().settings
    expect(settings?.newRunDefaults?.hparams.epochs).toBe(7)
    wrapper = mountWithProviders(NewRunView, {}, (pinia) => {
      useSettingsStore(pinia).settings = settings
    })
    await flush()
    expect(wrapper.get('[data-testid="preset-cnn-shallow"]').attributes('data-selected')).toBe('true')
    expect((wrapper.get('[data-testid="hp-epochs"] input').element as HTMLInputElement).value).toBe('7')
    expect((wrapper.get('[data-testid="hp-learningRate"] input').element as HTMLInputElement).value).toBe('0.003')
  })
})

describe('NewRunView on a team store', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())
  const team = { 'team.status': () => ({ kind: 'team' as const, workers: [], queued: 0 }) }

  it('offers Queue for workers beside Start only on a team store', async () => {
    installFakeAtelier({ 'team.status': () => ({ kind: 'local', reason: 'SQLite' }) })
    wrapper = mountWithProviders(NewRunView)
    await flush()
    expect(wrapper.find('[data-testid="start-run"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="queue-for-workers"]').exists()).toBe(false)
    wrapper.unmount()
    installFakeAtelier(team)
    wrapper = mountWithProviders(NewRunView)
    await flush()
    expect(wrapper.get('[data-testid="queue-for-workers"]').text()).toBe('Queue for workers')
  })

  it('queues the form’s run for the workers through runs.submit, training nothing here, and opens it', async () => {
    const fake = installFakeAtelier({
      ...team,
      'runs.submit': (req) => makeRun({ id: 51, status: 'queued', name: req.name ?? 'queued run' })
    })
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await wrapper.get('[data-testid="preset-cnn-bn"]').trigger('click')
    await flush()
    await typeInto(wrapper, 'hp-epochs', '4')
    await wrapper.get('[data-testid="run-name-input"] input').setValue('overnight')
    await wrapper.get('[data-testid="queue-for-workers"]').trigger('click')
    await flush()
    expect(fake.callsTo('runs.submit')).toEqual([{ hparams: { ...defaultHparams('cnn-bn'), epochs: 4 }, name: 'overnight' }])
    expect(fake.callsTo('runs.start')).toEqual([])
    expect(useRouterStore().route).toEqual({ name: 'run', id: 51 })
  })

  it('queues repeats as one group for the workers', async () => {
    const fake = installFakeAtelier({
      ...team,
      'runs.startRepeats': (req) => ({
        id: 3,
        name: 'group',
        preset: req.hparams.preset,
        createdAt: '2025-01-01T00:00:00.000Z',
        sweepId: null,
        memberIds: [60, 61, 62],
        seeds: [42, 43, 44],
        statuses: ['queued', 'queued', 'queued'],
        hparams: req.hparams,
        testAccuracy: null,
        bestValAccuracy: null
      }),
      'runs.list': () => []
    })
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await typeInto(wrapper, 'repeat-seeds', '3')
    await wrapper.get('[data-testid="queue-for-workers"]').trigger('click')
    await flush()
    expect(fake.callsTo('runs.startRepeats')).toMatchObject([{ repeats: 3, where: 'workers' }])
    expect(fake.callsTo('runs.submit')).toEqual([])
  })

  it('keeps the form and says why when the store refuses', async () => {
    installFakeAtelier({
      ...team,
      'runs.submit': () => ({ ok: false, error: { code: 'conflict', message: 'The dataset mnist is not on this machine' } })
    })
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await wrapper.get('[data-testid="queue-for-workers"]').trigger('click')
    await flush()
    expect(document.body.textContent).toContain('Could not queue the run for the workers')
    expect(useRouterStore().route.name).not.toBe('run')
    expect(wrapper.find('[data-testid="queue-for-workers"]').exists()).toBe(true)
  })
})

describe('NewRunView dataset picker', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it('trains on the remembered dataset, bounds the subset by its training images and sends its name', async () => {
    const photos = makeFolderDataset({ trainCount: 500 })
    const fake = installFakeAtelier({
      'datasets.list': () => [makeDataset(), photos],
      'runs.start': () => makeRun({ id: 43, status: 'queued' })
    })
    const remembered = { hparams: { ...defaultHparams('dense'), dataset: 'my-photos' }, repeats: 1 }
    wrapper = mountWithProviders(NewRunView, {}, (pinia) => {
      useSettingsStore(pinia).settings = { dataDir: '/d', dbPath: '/db', concurrency: 1, theme: 'light', newRunDefaults: remembered }
    })
    await flush()
    expect(wrapper.get('[data-testid="dataset-picker"]').text()).toContain('my-photos — 2×2 RGB, 2 classes, 500 train')
    expect(wrapper.get('[data-testid="hp-trainSubset-all"]').text()).toBe('all 500 (minus validation)')
    await wrapper.get('[data-testid="hp-trainSubset-enabled"]').trigger('click')
    await flush()
    await typeInto(wrapper, 'hp-trainSubset', '1000')
    expect(wrapper.text()).toContain('Train subset must be at most 500, the training images of my-photos')
    expect(wrapper.get('[data-testid="start-run"]').attributes('disabled')).toBeDefined()
    await typeInto(wrapper, 'hp-trainSubset', '400')
    await wrapper.get('[data-testid="start-run"]').trigger('click')
    await flush()
    const calls = fake.callsTo('runs.start') as Array<{ hparams: Hparams }>
    expect(calls.map((c) => c.hparams.dataset)).toEqual(['my-photos'])
  })

  it('keeps the chosen dataset when another preset is picked', async () => {
    installFakeAtelier({ 'datasets.list': () => [makeDataset(), makeFolderDataset()] })
    const remembered = { hparams: { ...defaultHparams('dense'), dataset: 'my-photos' }, repeats: 1 }
    wrapper = mountWithProviders(NewRunView, {}, (pinia) => {
      useSettingsStore(pinia).settings = { dataDir: '/d', dbPath: '/db', concurrency: 1, theme: 'light', newRunDefaults: remembered }
    })
    await flush()
    await wrapper.get('[data-testid="preset-cnn-bn"]').trigger('click')
    await flush()
    expect(wrapper.get('[data-testid="dataset-picker"]').text()).toContain('my-photos')
  })

  it('says which presets the images are too small for, keeps them unselectable and does not start one', async () => {
    const tiny = makeFolderDataset({
      shape: { height: 8, width: 8, channels: 3 },
      preprocessing: { fit: 'cover', height: 8, width: 8, color: 'rgb', scale: 1 / 255 }
    })
    const fake = installFakeAtelier({ 'datasets.list': () => [makeDataset(), tiny] })
    const remembered = { hparams: { ...defaultHparams('cnn-shallow'), dataset: 'my-photos' }, repeats: 1 }
    wrapper = mountWithProviders(NewRunView, {}, (pinia) => {
      useSettingsStore(pinia).settings = { dataDir: '/d', dbPath: '/db', concurrency: 1, theme: 'light', newRunDefaults: remembered }
    })
    await flush()
    expect(wrapper.get('[data-testid="preset-misfit-cnn-shallow"]').text()).toBe(
      'The Shallow CNN preset needs larger images than 8×8: its MaxPool 2×2 layer would have no pixels left.'
    )
    expect(wrapper.find('[data-testid="preset-params-cnn-shallow"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="preset-params-cnn-bn"]').text()).toMatch(/params/)
    expect(wrapper.get('[data-testid="start-run"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="form-invalid"]').text()).toMatch(/needs larger images than 8×8.*choose another preset to start/)
    await wrapper.get('[data-testid="preset-dense"]').trigger('click')
    await flush()
    await wrapper.get('[data-testid="preset-cnn-shallow"]').trigger('click')
    await flush()
    expect(wrapper.get('[data-testid="preset-dense"]').attributes('data-selected')).toBe('true')
    expect(wrapper.get('[data-testid="start-run"]').attributes('disabled')).toBeUndefined()
    expect(fake.callsTo('runs.start')).toEqual([])
  })

  it('falls back to Fashion-MNIST when the remembered dataset is gone', async () => {
    installFakeAtelier({ 'datasets.list': () => [makeDataset()] })
    const remembered = { hparams: { ...defaultHparams('dense'), dataset: 'removed-one' }, repeats: 1 }
    wrapper = mountWithProviders(NewRunView, {}, (pinia) => {
      useSettingsStore(pinia).settings = { dataDir: '/d', dbPath: '/db', concurrency: 1, theme: 'light', newRunDefaults: remembered }
    })
    await flush()
    expect(wrapper.get('[data-testid="dataset-picker"]').text()).toContain('Fashion-MNIST')
    expect(wrapper.get('[data-testid="hp-trainSubset-all"]').text()).toBe('all 60,000 (minus validation)')
  })
})
