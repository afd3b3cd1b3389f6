/** A run's architecture on its page and its name in Experiments, for a preset run and a custom one alike. */
import { describe, expect, it } from 'vitest'
import type { RunDetail } from '@shared/run'
import { completeHparams, defaultHparams, type Hparams } from '@shared/hparams'
import { parseArchitecture } from '@shared/architecture/parse-architecture'
import { builtinRef } from '@shared/dataset'
import RunArchitecture from '@renderer/components/run/RunArchitecture.vue'
import { buildRunColumns } from '@renderer/components/experiments/runColumns'
import { makeRun } from '../../fixtures/fakeAtelier'
import { mountWithProviders } from '../../fixtures/mountWithProviders'

const parsed = parseArchitecture({
  name: 'tiny-resnet',
  layers: [
    { kind: 'conv2d', filters: 8, kernel: 3, padding: 'same' },
    { kind: 'residual', layers: [{ kind: 'conv2d', filters: 8, kernel: 3, padding: 'same' }, { kind: 'batchNorm' }] },
    { kind: 'globalAvgPool' },
    { kind: 'output' }
  ]
})
if (!parsed.ok) throw new Error('the test architecture does not parse')
const customHparams = completeHparams({ preset: 'custom', architecture: parsed.architecture })
if (!customHparams.ok) throw new Error('custom hyperparameters do not parse')

const detail = (hparams: Hparams): RunDetail => ({
  ...makeRun({ id: 7, preset: hparams.preset, architectureName: hparams.architecture?.name ?? null }),
  hparams,
  notes: '',
  seed: 42,
  datasetChecksum: null,
  dataset: builtinRef('fashion-mnist')!,
  backendInfo: null,
  appVersion: 't',
  history: [],
  metrics: null,
  resumePoints: []
})

const text = (testid: string): string => document.querySelector(`[data-testid="${testid}"]`)?.textContent ?? ''

describe('run architecture', () => {
  it('shows a custom run’s own layers, output shapes and parameters, residual blocks indented', async () => {
    const wrapper = mountWithProviders(RunArchitecture, { run: detail(customHparams.value) })
    expect(text('run-architecture')).toContain('Architecture: tiny-resnet')
    // 80 + (584 + 32) + 90
    expect(text('run-architecture-summary')).toContain('6 layers · 786 parameters')
    ;(document.querySelector('[data-testid="run-architecture-summary"] .n-collapse-item__header-main') as HTMLElement).click()
    await new Promise((r) => setTimeout(r, 0))
    expect(text('run-architecture-table')).toMatch(/GlobalAvgPool/)
    expect(text('run-architecture-table')).toMatch(/28 × 28 × 8/)
    wrapper.unmount()
  })

  it('shows a preset run’s layers under the preset’s title', () => {
    const wrapper = mountWithProviders(RunArchitecture, { run: detail(defaultHparams('cnn-shallow')) })
    expect(text('run-architecture')).toContain('Architecture: Shallow CNN')
    wrapper.unmount()
  })

  it('names a custom run by its architecture in the Experiments list', () => {
    const columns = buildRunColumns({
      sort: { key: 'createdAt', order: 'descend' },
      now: Date.parse('2026-01-01T12:00:00.000Z'),
      progressOf: () => undefined,
      fractionOf: () => 0,
      onAction: () => undefined,
      onOpenGroup: () => undefined
    })
    const column = columns.find((c) => 'key' in c && c.key === 'preset') as unknown as { render: (row: unknown) => unknown }
    expect(column.render(makeRun({ id: 1, preset: 'custom', architectureName: 'small-resnet' }))).toBe('small-resnet')
    expect(column.render(makeRun({ id: 2 }))).toBe('Dense')
  })
})
