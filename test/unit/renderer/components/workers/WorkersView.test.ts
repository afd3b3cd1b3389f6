import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { TeamStatus, TeamWorkerInfo } from '@shared/team'
import WorkersView from '@renderer/components/workers/WorkersView.vue'
import { useRouterStore } from '@renderer/stores/router'
import { useRunsStore } from '@renderer/stores/runs'
import { TEAM_POLL_MS } from '@renderer/stores/team'
import { installFakeAtelier, makeRun, type FakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0)

function worker(over: Partial<TeamWorkerInfo> & { name: string }): TeamWorkerInfo {
  return {
    host: 'gpu-box',
    pid: 4242,
    cores: 8,
    live: true,
    lastHeartbeat: new Date(NOW - 3_000).toISOString(),
    runIds: [],
    backend: null,
    ...over
  }
}

describe('WorkersView', () => {
  let fake: FakeAtelier
  let wrapper: VueWrapper
  let status: TeamStatus

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NOW)
    fake = installFakeAtelier({ 'team.status': () => status })
    location.hash = ''
  })
  afterEach(() => {
    wrapper?.unmount()
    vi.useRealTimers()
  })

  it('lists a team store’s workers with what they train, when they were heard from, and the queue', async () => {
    status = {
      kind: 'team',
      queued: 2,
      workers: [
        worker({ name: 'a@gpu-box:4242', runIds: [7], backend: 'tensorflow' }),
        worker({ name: 'b@laptop:99', host: 'laptop', cores: null, live: false, lastHeartbeat: new Date(NOW - 125_000).toISOString() })
      ]
    }
    wrapper = mountWithProviders(WorkersView, {}, () => {
      useRunsStore().applyUpdated(makeRun({ id: 7, name: 'wide cnn', status: 'running', ownedElsewhere: true }))
    })
    await flush()
    const rows = wrapper.findAll('[data-testid="worker-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0].text()).toContain('a@gpu-box:4242')
    expect(rows[0].text()).toContain('tensorflow')
    expect(rows[0].get('[data-testid="worker-heartbeat"]').text()).toBe('3 s ago')
    expect(rows[0].get('[data-testid="worker-state"]').text()).toBe('live')
    expect(rows[1].get('[data-testid="worker-runs"]').text()).toBe('idle')
    expect(rows[1].get('[data-testid="worker-heartbeat"]').text()).toBe('2 min ago')
    expect(rows[1].get('[data-testid="worker-state"]').text()).toBe('silent')
    expect(wrapper.get('[data-testid="workers-live"]').text()).toBe('1 live worker')
    expect(wrapper.get('[data-testid="workers-queued"]').text()).toBe('2 runs waiting for a worker')
    expect(wrapper.find('[data-testid="workers-empty"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="workers-silent-note"]').exists()).toBe(true)

    const link = rows[0].get('[data-testid="worker-run-7"]')
    expect(link.text()).toBe('wide cnn')
    await link.trigger('click')
    expect(useRouterStore().route).toEqual({ name: 'run', id: 7 })
  })

  it('asks again every few seconds while shown, and stops when it is left', async () => {
    vi.useRealTimers()
    vi.useFakeTimers()
    status = { kind: 'team', queued: 0, workers: [worker({ name: 'a@gpu-box:4242' })] }
    wrapper = mountWithProviders(WorkersView)
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.callsTo('team.status')).toHaveLength(1)
    status = { kind: 'team', queued: 3, workers: [worker({ name: 'a@gpu-box:4242' })] }
    await vi.advanceTimersByTimeAsync(TEAM_POLL_MS)
    expect(fake.callsTo('team.status')).toHaveLength(2)
    expect(wrapper.get('[data-testid="workers-queued"]').text()).toBe('3 runs waiting for a worker')
    wrapper.unmount()
    await vi.advanceTimersByTimeAsync(TEAM_POLL_MS * 3)
    expect(fake.callsTo('team.status')).toHaveLength(2)
    // Only the workers' status is polled: nothing else is asked for.
    expect(new Set(fake.calls.map((c) => c.channel))).toEqual(new Set(['team.status']))
  })

  it('says how to start a worker when none is live', async () => {
    status = { kind: 'team', queued: 4, workers: [] }
    wrapper = mountWithProviders(WorkersView)
    await flush()
    const empty = wrapper.get('[data-testid="workers-empty"]').text()
    expect(empty).toContain('No worker is running, so queued runs wait')
    expect(empty).toContain('npm run cli -- worker --db postgres://')
    expect(wrapper.find('[data-testid="workers-table"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="workers-queued"]').text()).toBe('4 runs waiting for a worker')
    await wrapper.get('[data-testid="workers-show-queued"]').trigger('click')
    expect(useRouterStore().route).toEqual({ name: 'experiments' })
    expect(useRunsStore().filter.statuses).toEqual(['queued'])
  })

  it('explains, for a SQLite store, how to share a store with workers', async () => {
    status = { kind: 'local', reason: 'Queueing runs for workers needs a team store.' }
    wrapper = mountWithProviders(WorkersView)
    await flush()
    const text = wrapper.get('[data-testid="workers-local"]').text()
    expect(text).toContain('Queueing runs for workers needs a team store.')
    expect(text).toContain('--db postgres://')
    expect(text).toContain('npm run cli -- worker --db')
    expect(wrapper.find('[data-testid="workers-table"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="workers-empty"]').exists()).toBe(false)
  })

  it('shows what went wrong when the status cannot be read', async () => {
    fake = installFakeAtelier({ 'team.status': () => ({ ok: false, error: { code: 'failed', message: 'connection refused' } }) })
    wrapper = mountWithProviders(WorkersView)
    await flush()
    expect(wrapper.get('[data-testid="workers-error"]').text()).toContain('Could not read the workers: connection refused')
  })
})
