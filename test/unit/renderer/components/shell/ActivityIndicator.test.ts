import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import ActivityIndicator from '@renderer/components/shell/ActivityIndicator.vue'
import { useRunsStore } from '@renderer/stores/runs'
import { useRouterStore } from '@renderer/stores/router'
import { useLiveStore } from '@renderer/stores/live'
import { installFakeAtelier, makeRun } from '../../fixtures/fakeAtelier'
import { mountWithProviders } from '../../fixtures/mountWithProviders'

const indicator = () => document.querySelector('[data-testid="activity-indicator"]')

describe('ActivityIndicator', () => {
  it('counts runs training (here or in another process) and queued, and lists them on click', async () => {
    installFakeAtelier()
    const wrapper = mountWithProviders(ActivityIndicator)
    const runs = useRunsStore()
    expect(indicator()).toBeNull()
    runs.applyUpdated(makeRun({ id: 1, status: 'running' }))
    runs.applyUpdated(makeRun({ id: 2, status: 'running', ownedElsewhere: true }))
    runs.applyUpdated(makeRun({ id: 3, status: 'queued' }))
    runs.applyUpdated(makeRun({ id: 4, status: 'completed' }))
    runs.applyUpdated(makeRun({ id: 5, status: 'queued' }))
    // Run 5's trainer is starting: it has left the queue, though its status is still queued.
    useLiveStore().applyPhase({ runId: 5, phase: 'starting' })
    await nextTick()
    expect(indicator()?.textContent?.trim()).toBe('3 training · 1 queued')
    ;(indicator() as HTMLElement).click()
    await nextTick()
    expect(runs.filter.statuses).toEqual(['running', 'queued'])
    expect(useRouterStore().route.name).toBe('experiments')
    wrapper.unmount()
  })
})
