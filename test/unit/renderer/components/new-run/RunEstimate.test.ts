import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import NewRunView from '@renderer/components/new-run/NewRunView.vue'
import { installFakeAtelier } from '../../fixtures/fakeAtelier'
import { mountWithProviders } from '../../fixtures/mountWithProviders'

const settle = () => new Promise((r) => setTimeout(r, 400))

describe('time estimates in New run', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it("shows the core's estimate beside Start and beside the seed presets, and says when there is none", async () => {
    const fake = installFakeAtelier({
      'runs.estimate': ({ hparams }) =>
        hparams.map((h) =>
          h.preset === 'dense'
            ? { seconds: 250, basedOnRuns: 3, mayStopEarly: false }
            : { seconds: null, basedOnRuns: 0, mayStopEarly: false }
        )
    })
    wrapper = mountWithProviders(NewRunView)
    await settle()
    const [start, seeds] = wrapper.findAll('[data-testid="run-estimate"]').map((w) => w.text())
    expect(start).toBe('about 4m 10s of training on this machine')
    expect(seeds).toMatch(/^about 4m 10s for Dense; no estimate yet for Shallow CNN, Deep CNN, .+ \(none has finished on this machine\)$/)
    expect(fake.callsTo('runs.estimate').length).toBeGreaterThanOrEqual(2)
  }, 20_000)
})
