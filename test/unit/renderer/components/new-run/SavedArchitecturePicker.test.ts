/** New run's custom-architecture editor: start from a saved architecture (latest, or another version) and Save the one being edited. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { NSelect } from 'naive-ui'
import type { Architecture } from '@shared/architecture/architecture-schema'
import NewRunView from '@renderer/components/new-run/NewRunView.vue'
import { installFakeAtelier, type FakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

const tiny = (units: number): Architecture =>
  ({
    name: 'tiny',
    layers: [{ kind: 'flatten' }, { kind: 'dense', units, activation: 'relu', bias: true }, { kind: 'output' }]
  }) as Architecture

describe('New run: saved architectures', () => {
  let fake: FakeAtelier
  let wrapper: VueWrapper
  let saves: number

  beforeEach(() => {
    saves = 0
    const at = '2026-12-06T03:00:00.000Z'
    const versions = [
      { version: 1, createdAt: at },
      { version: 2, createdAt: at }
    ]
    fake = installFakeAtelier({
      'architectures.list': () => [{ name: 'tiny', version: 2, versions: 2, createdAt: at, architecture: tiny(32) }],
      'architectures.get': ({ name, version }) => ({
        name,
        version: version ?? 2,
        createdAt: at,
        architecture: tiny(version === 1 ? 16 : 32),
        versions
      }),
      'architectures.save': ({ architecture }) => {
        saves++
        return { name: (architecture as Architecture).name, version: 3, created: saves === 1 }
      }
    })
    location.hash = ''
  })
  afterEach(() => wrapper?.unmount())

  const jsonText = (): string => (wrapper.get('[data-testid="custom-json"] textarea').element as HTMLTextAreaElement).value
  const select = (testid: string) => wrapper.findAllComponents(NSelect).find((c) => c.attributes('data-testid') === testid)!

  async function openEditor(): Promise<void> {
    wrapper = mountWithProviders(NewRunView)
    await flush()
    await wrapper.get('[data-testid="preset-custom"]').trigger('click')
    await flush()
  }

  it('starts from the latest version of a saved architecture, or another version', async () => {
    await openEditor()
    select('custom-saved').vm.$emit('update:value', 'tiny')
    await flush()
    expect(fake.callsTo('architectures.get')).toEqual([{ name: 'tiny' }])
    expect(JSON.parse(jsonText()).layers[1].units).toBe(32)
    expect(wrapper.get('[data-testid="custom-summary"]').text()).toContain('parameters')

    select('custom-saved-version').vm.$emit('update:value', 1)
    await flush()
    expect(fake.callsTo('architectures.get')).toEqual([{ name: 'tiny' }, { name: 'tiny', version: 1 }])
    expect(JSON.parse(jsonText()).layers[1].units).toBe(16)
  })

  it('saves the architecture being edited and says which version it is', async () => {
    await openEditor()
    await wrapper.get('[data-testid="custom-json"] textarea').setValue(JSON.stringify(tiny(64)))
    await flush()
    await wrapper.get('[data-testid="custom-save"]').trigger('click')
    await flush()
    expect(fake.callsTo('architectures.save')).toHaveLength(1)
    expect((fake.callsTo('architectures.save')[0] as { architecture: Architecture }).architecture.layers[1]).toMatchObject({ units: 64 })
    expect(wrapper.get('[data-testid="custom-save-status"]').text()).toBe('saved as tiny v3')

    await wrapper.get('[data-testid="custom-save"]').trigger('click')
    await flush()
    expect(wrapper.get('[data-testid="custom-save-status"]').text()).toBe('unchanged, v3')
  })

  it('keeps Save disabled while the architecture is invalid', async () => {
    await openEditor()
    await wrapper.get('[data-testid="custom-json"] textarea').setValue('{ "name": "x", ')
    await flush()
    expect(wrapper.get('[data-testid="custom-save"]').attributes('disabled')).toBeDefined()
  })
})
