import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { defaultHparams, type Hparams } from '@shared/hparams'
import { parameterCount } from '@shared/presets'
import NewRunView from '@renderer/components/new-run/NewRunView.vue'
import { useRouterStore } from '@renderer/stores/router'
import { installFakeAtelier, makeRun, type FakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

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
        error: { code: 'invalid_request', message: 'Invalid request', fieldErrors: [{ path: 'hparams.batchSize', message: 'Too large for this machine' }] }
      })
    })
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await wrapper.get('[data-testid="start-run"]').trigger('click')
    await flush()
    expect(wrapper.get('[data-testid="server-errors"]').text()).toContain('Batch size: Too large for this machine')
    expect(useRouterStore().route.name).not.toBe('run')
  })
})
