import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { presetArchitecture } from '@shared/presets'
import ArchitectureDiffTable, { type ArchitectureSide } from '@renderer/components/compare/ArchitectureDiffTable.vue'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'
import { installFakeViewport, type FakeViewport } from '../../fixtures/fakeViewport'

const side = (key: string, preset: 'dense' | 'cnn-shallow' | 'cnn-bn'): ArchitectureSide => ({
  key,
  label: `#${key} ${preset}`,
  architecture: presetArchitecture(preset)
})
const colors = new Map([
  ['r1', '#ff0000'],
  ['r2', '#00ff00'],
  ['r3', '#0000ff']
])

describe('ArchitectureDiffTable', () => {
  let wrapper: VueWrapper
  let viewport: FakeViewport
  beforeEach(() => {
    viewport = installFakeViewport()
  })
  afterEach(() => {
    wrapper?.unmount()
    viewport.uninstall()
  })

  /** Brings the card into view, where it builds its table. */
  async function scrollToCard(): Promise<void> {
    viewport.scrollTo(wrapper.get('[data-testid="architecture-diff"]').element.parentElement!)
    await flush()
  }

  it('shows nothing when every compared run trained one architecture', async () => {
    wrapper = mountWithProviders(ArchitectureDiffTable, { sides: [side('r1', 'dense'), side('r2', 'dense')], colors })
    await flush()
    expect(wrapper.find('[data-testid="architecture-diff"]').exists()).toBe(false)
  })

  it('lists two architectures layer by layer: removed, added and unchanged layers, the unchanged folded', async () => {
    const shallow = side('r2', 'cnn-shallow')
    const edited: ArchitectureSide = {
      key: 'r1',
      label: '#r1 mine',
      architecture: { ...shallow.architecture, name: 'mine', layers: shallow.architecture.layers.filter((l) => l.kind !== 'dropout') }
    }
    wrapper = mountWithProviders(ArchitectureDiffTable, { sides: [shallow, edited], colors })
    await flush()
    // Below the fold: the card and its summary at once, the table when it comes near.
    expect(wrapper.get('[data-testid="architecture-diff-summary"]').text()).toMatch(/removed from A/)
    expect(wrapper.find('[data-testid="architecture-diff-table"]').exists()).toBe(false)
    await scrollToCard()
    const table = wrapper.get('[data-testid="architecture-diff-table"]')
    expect(table.findAll('[data-testid="architecture-diff-row-removed"]').length).toBeGreaterThan(0)
    expect(table.findAll('[data-testid="architecture-diff-row-added"]')).toHaveLength(0)
    expect(wrapper.get('[data-testid="architecture-diff-summary"]').text()).toMatch(/removed from A/)
    const folded = table.findAll('[data-testid="architecture-diff-folded"]')
    expect(folded.length).toBeGreaterThan(0)
    await folded[0]!.get('button').trigger('click')
    await flush()
    expect(table.findAll('[data-testid="architecture-diff-row-same"]').length).toBeGreaterThan(0)
  })

  it('marks changed parameters and lets A and B be chosen among three architectures', async () => {
    const dense = side('r1', 'dense')
    const wider: ArchitectureSide = {
      key: 'r2',
      label: '#2 wider',
      architecture: {
        ...dense.architecture,
        layers: dense.architecture.layers.map((l) => (l.kind === 'dense' && l.activation !== 'softmax' ? { ...l, units: l.units * 2 } : l))
      }
    }
    wrapper = mountWithProviders(ArchitectureDiffTable, { sides: [dense, wider, side('r3', 'cnn-bn')], colors })
    await flush()
    viewport.idle()
    await flush()
    expect(wrapper.find('[data-testid="architecture-diff-a"]').exists()).toBe(true)
    const changed = wrapper.findAll('[data-testid="architecture-diff-row-changed"]')
    expect(changed.length).toBeGreaterThan(0)
    expect(changed[0]!.find('.chip.changed').text()).toMatch(/^units \d+$/)
  })
})
