/** Cancel on the run page: offered for a run another machine's worker trains on a team store, and what the person is told after. */
import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { RunDetail, RunSummary } from '@shared/run'
import type { TeamStatus } from '@shared/team'
import { defaultHparams } from '@shared/hparams'
import { builtinRef } from '@shared/dataset'
import RunHeader from '@renderer/components/run/RunHeader.vue'
import { installFakeAtelier, makeRun } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

const detail = (over: Partial<RunSummary>): RunDetail => ({
  ...makeRun({ id: 9, name: 'wide cnn', status: 'running', epochsDone: 2, finishedAt: null, testAccuracy: null, ...over }),
  hparams: defaultHparams('dense'),
  seed: 42,
  datasetChecksum: null,
  dataset: builtinRef('fashion-mnist')!,
  backendInfo: null,
  appVersion: 't',
  history: [],
  metrics: null,
  resumePoints: []
})
const team: TeamStatus = { kind: 'team', workers: [], queued: 0 }
const local: TeamStatus = { kind: 'local', reason: 'SQLite' }

describe('RunHeader cancel', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it('offers Cancel for a run a team store’s worker trains, and says the worker stops at its next lease renewal', async () => {
    const fake = installFakeAtelier({
      'team.status': () => team,
      // The worker records the end itself: right after the request the run is still running.
      'runs.cancel': ({ id }) => makeRun({ id, name: 'wide cnn', status: 'running', ownedElsewhere: true })
    })
    wrapper = mountWithProviders(RunHeader, { run: detail({ ownedElsewhere: true }) })
    await flush()
    await wrapper.get('[data-testid="run-cancel"]').trigger('click')
    await flush()
    expect(fake.callsTo('runs.cancel')).toEqual([{ id: 9 }])
    expect(document.body.textContent).toContain('Cancel sent to the worker training “wide cnn”')
    expect(document.body.textContent).toContain('next lease renewal')
  })

  it('keeps Cancel away from a run another process trains on a SQLite store, and offers it for this app’s own runs', async () => {
    installFakeAtelier({ 'team.status': () => local })
    wrapper = mountWithProviders(RunHeader, { run: detail({ ownedElsewhere: true }) })
    await flush()
    expect(wrapper.find('[data-testid="run-cancel"]').exists()).toBe(false)
    wrapper.unmount()
    wrapper = mountWithProviders(RunHeader, { run: detail({ ownedElsewhere: false }) })
    await flush()
    expect(wrapper.find('[data-testid="run-cancel"]').exists()).toBe(true)
  })

  it('shows what the core says when a run cannot be reached from here (another process without a lease)', async () => {
    installFakeAtelier({
      'team.status': () => team,
      'runs.cancel': () => ({
        ok: false,
        error: { code: 'conflict', message: 'Run 9 is being trained by another process (e.g. the CLI) on this database; cancel it there.' }
      })
    })
    wrapper = mountWithProviders(RunHeader, { run: detail({ ownedElsewhere: true }) })
    await flush()
    await wrapper.get('[data-testid="run-cancel"]').trigger('click')
    await flush()
    expect(document.body.textContent).toContain('Could not cancel the run: Run 9 is being trained by another process')
    expect(document.body.textContent).not.toContain('Cancel sent')
  })
})
