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

  describe('structural editing', () => {
    const jsonOf = (): { name: string; layers: Array<Record<string, unknown>> } =>
      JSON.parse((wrapper.get('[data-testid="custom-json"] textarea').element as HTMLTextAreaElement).value)
    const kindsOf = (): unknown[] => jsonOf().layers.map((l) => l.kind)

    async function openWith(arch: unknown): Promise<void> {
      wrapper = mountWithProviders(NewRunView)
      await flush()
      await wrapper.get('[data-testid="preset-custom"]').trigger('click')
      await flush()
      await setJson(JSON.stringify(arch))
    }

    it('adds, moves, duplicates and removes layers with buttons and keys, the text following', async () => {
      await openWith(DENSE_SMALL)
      expect(wrapper.get('[data-testid="layer-1-shape"]').text()).toBe('16')
      // Add inserts after the selected layer: a convolution after a dense layer cannot work, and says so on the layer.
      await wrapper.get('[data-testid="layer-1"]').trigger('focusin')
      await wrapper.get('[data-testid="custom-add-layer"]').trigger('click')
      await flush()
      expect(kindsOf()).toEqual(['flatten', 'dense', 'conv2d', 'output'])
      expect(wrapper.get('[data-testid="layer-2-error"]').text()).toMatch(/layer 2 \(conv2d\)/)
      expect(wrapper.get('[data-testid="custom-error"]').text()).toMatch(/layer 2 \(conv2d\)/)

      await wrapper.get('[data-testid="layer-2"]').trigger('keydown', { key: 'Delete' })
      await flush()
      expect(kindsOf()).toEqual(['flatten', 'dense', 'output'])
      expect(wrapper.find('[data-testid="custom-error"]').exists()).toBe(false)

      await wrapper.get('[data-testid="layer-1"]').trigger('keydown', { key: 'd', ctrlKey: true })
      await flush()
      expect(kindsOf()).toEqual(['flatten', 'dense', 'dense', 'output'])
      await wrapper.get('[data-testid="layer-0"]').trigger('keydown', { key: 'ArrowDown', altKey: true })
      await flush()
      expect(kindsOf()).toEqual(['dense', 'flatten', 'dense', 'output'])
      await wrapper.get('[data-testid="layer-1-up"]').trigger('click')
      await flush()
      expect(kindsOf()).toEqual(['flatten', 'dense', 'dense', 'output'])
      await wrapper.get('[data-testid="layer-2"]').trigger('keydown', { key: 'Backspace' })
      await flush()
      expect(kindsOf()).toEqual(['flatten', 'dense', 'output'])
      expect(wrapper.get('[data-testid="custom-summary"]').text()).toContain('parameters')
    })

    it('edits a parameter through its input and names a bad value on the layer', async () => {
      await openWith(DENSE_SMALL)
      const units = wrapper.get('[data-testid="layer-1-units"] input')
      await units.setValue('0')
      await flush()
      expect(jsonOf().layers[1].units).toBe(0)
      expect(wrapper.get('[data-testid="layer-1-error"]').text()).toContain('field "units"')
      await units.setValue('32')
      await flush()
      expect(jsonOf().layers[1].units).toBe(32)
      expect(wrapper.find('[data-testid="layer-1-error"]').exists()).toBe(false)
    })

    it('keeps the last structure and the typed text while the JSON does not parse', async () => {
      await openWith(DENSE_SMALL)
      await setJson('{ "name": "tiny", "layers": [')
      expect(wrapper.find('[data-testid="custom-structure-stale"]').exists()).toBe(true)
      expect(wrapper.get('[data-testid="layer-1-kind"]').text()).toBe('dense')
      await wrapper.get('[data-testid="layer-1"]').trigger('keydown', { key: 'Delete' })
      await flush()
      expect((wrapper.get('[data-testid="custom-json"] textarea').element as HTMLTextAreaElement).value).toBe(
        '{ "name": "tiny", "layers": ['
      )
    })

    it('edits the layers inside a residual block', async () => {
      await openWith({
        name: 'res',
        layers: [
          { kind: 'conv2d', filters: 8, kernel: 3, padding: 'same' },
          { kind: 'residual', layers: [{ kind: 'conv2d', filters: 8, kernel: 3, padding: 'same' }] },
          { kind: 'globalAvgPool' },
          { kind: 'output' }
        ]
      })
      expect(wrapper.get('[data-testid="layer-1.0-shape"]').text()).toBe('28×28×8')
      await wrapper.get('[data-testid="layer-1.0"]').trigger('keydown', { key: 'd', metaKey: true })
      await flush()
      expect((jsonOf().layers[1].layers as unknown[]).length).toBe(2)
      expect(wrapper.get('[data-testid="diagram-1"]').text()).toContain('⊕')
    })
  })
})
