import { describe, expect, it } from 'vitest'
import type { RunDetail } from '@shared/run'
import { defaultHparams } from '@shared/hparams'
import type { PresetId } from '@shared/presets'
import SlowBackendWarning from '@renderer/components/run/SlowBackendWarning.vue'
import { makeRun } from '../../fixtures/fakeAtelier'
import { mountWithProviders } from '../../fixtures/mountWithProviders'
import { builtinRef } from '@shared/dataset'

function detail(preset: PresetId, backend: string): RunDetail {
  return {
    ...makeRun({ id: 1, preset, backend }),
    hparams: defaultHparams(preset),
    notes: '',
    seed: 42,
    datasetChecksum: null,
    dataset: builtinRef('fashion-mnist')!,
    backendInfo: { name: backend, threads: 1, versions: {} },
    appVersion: '0.1.0',
    history: [],
    metrics: null,
    resumePoints: []
  }
}

describe('SlowBackendWarning', () => {
  it('warns when a CNN run ended up on the cpu backend', () => {
    const wrapper = mountWithProviders(SlowBackendWarning, { run: detail('cnn-shallow', 'cpu') })
    expect(document.querySelector('[data-testid="run-cpu-warning"]')?.textContent).toMatch(/slow cpu backend/)
    wrapper.unmount()
  })

  it('stays quiet for a CNN on WASM and for the dense model on cpu (which trains fast enough there)', () => {
    for (const run of [detail('cnn-bn', 'wasm'), detail('dense', 'cpu')]) {
      const wrapper = mountWithProviders(SlowBackendWarning, { run })
      expect(document.querySelector('[data-testid="run-cpu-warning"]')).toBeNull()
      wrapper.unmount()
    }
  })
})
