import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { Hparams } from '@shared/hparams'
import NewRunView from '@renderer/components/new-run/NewRunView.vue'
import { installFakeAtelier, makeRun, type FakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

const DENSE_SMALL = {
  name: 'tiny',
  layers: [{ kind: 'flatten' }, { kind: 'dense', units: 16, activation: 'relu' }, { kind: 'output' }]
}

describe('New run: custom architecture', () => {
  let fake: FakeAtelier
  let wrapper: VueWrapper

  beforeEach(() => {
    fake = installFakeAtelier({
      'runs.start': (req) => makeRun({ id: 7, status: 'queued', preset: req.hparams.preset, epochsPlanned: req.hparams.epochs })
    })
    location.hash = ''
  })
  afterEach(() => wrapper?.unmount())

  async function setJson(value: string): Promise<void> {
    await wrapper.get('[data-testid="custom-json"] textarea').setValue(value)
    await flush()
  }

  it('customizes a preset: a valid text shows its layer table and starts a custom run with it', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await wrapper.get('[data-testid="customize-dense"]').trigger('click')
    await flush()
    expect(wrapper.find('[data-testid="custom-layer-table"]').exists()).toBe(true)
    await setJson(JSON.stringify(DENSE_SMALL))
    const table = wrapper.get('[data-testid="custom-layer-table"]').text()
    expect(table).toContain('16')
    expect(wrapper.get('[data-testid="custom-summary"]').text()).toContain('12,730 parameters')
    await wrapper.get('[data-testid="start-run"]').trigger('click')
    await flush()
    const calls = fake.callsTo('runs.start') as Array<{ hparams: Hparams }>
    expect(calls).toHaveLength(1)
    expect(calls[0].hparams.preset).toBe('custom')
    expect(calls[0].hparams.architecture?.name).toBe('tiny')
  })

  it('shows the layer an impossible architecture fails at and keeps Start disabled', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await wrapper.get('[data-testid="preset-custom"]').trigger('click')
    await flush()
    await setJson(JSON.stringify({ name: 'bad', layers: [{ kind: 'dense', units: 8 }, { kind: 'output' }] }))
    expect(wrapper.get('[data-testid="custom-error"]').text()).toMatch(/^layer 0 \(dense\): /)
    expect(wrapper.find('[data-testid="custom-layer-table"]').exists()).toBe(false)
    const start = wrapper.get('[data-testid="start-run"]')
    expect(start.attributes('disabled')).toBeDefined()
    await start.trigger('click')
    await flush()
    expect(fake.callsTo('runs.start')).toHaveLength(0)
  })

  it('names the JSON or schema problem inline', async () => {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await wrapper.get('[data-testid="preset-custom"]').trigger('click')
    await flush()
    await setJson('{ "name": "x", ')
    expect(wrapper.get('[data-testid="custom-error"]').text()).toContain('not valid JSON')
    await setJson(JSON.stringify({ name: 'x', layers: [{ kind: 'flatten' }, { kind: 'dense', units: 0 }, { kind: 'output' }] }))
    expect(wrapper.get('[data-testid="custom-error"]').text()).toContain('layer 1 (dense) field "units"')
    expect(wrapper.get('[data-testid="start-run"]').attributes('disabled')).toBeDefined()
  })
})
