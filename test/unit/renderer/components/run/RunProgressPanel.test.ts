import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import RunProgressPanel from '@renderer/components/run/RunProgressPanel.vue'
import { useLiveStore } from '@renderer/stores/live'
import { useTeamStore } from '@renderer/stores/team'
import { statusNote } from '@renderer/components/experiments/runColumns'
import { makeRun } from '../../fixtures/fakeAtelier'
import { mountWithProviders } from '../../fixtures/mountWithProviders'

const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim()

describe('RunProgressPanel phases', () => {
  it('names the wait before the first batch and the test evaluation instead of "100 % · ETA 0s"', async () => {
    const wrapper = mountWithProviders(RunProgressPanel, { run: makeRun({ id: 5, status: 'queued', epochsDone: 0, backend: null }) })
    const live = useLiveStore()
    expect(text('run-phase')).toBe('Waiting in the queue')
    live.applyPhase({ runId: 5, phase: 'starting' })
    await nextTick()
    expect(text('run-phase')).toBe('Starting the trainer…')
    live.applyPhase({ runId: 5, phase: 'loading-data' })
    await nextTick()
    expect(text('run-phase')).toBe('Loading the dataset…')
    live.applyProgress({
      runId: 5,
      epoch: 2,
      epochs: 2,
      batch: 10,
      batches: 10,
      loss: 0.3,
      accuracy: 0.9,
      imagesPerSec: 900,
      etaSeconds: 0
    })
    live.applyPhase({ runId: 5, phase: 'evaluating' })
    await nextTick()
    expect(text('run-phase')).toBe('Evaluating the test set…')
    expect(text('run-eta')).toBe('evaluating…')
    wrapper.unmount()
  })

  it('says when another process trains the run', () => {
    const wrapper = mountWithProviders(RunProgressPanel, { run: makeRun({ id: 6, status: 'running', ownedElsewhere: true }) })
    expect(text('run-phase')).toBe('Training in another process')
    expect(text('run-owned-elsewhere')).toMatch(/Another process .* is training this run/)
    wrapper.unmount()
  })

  it('on a team store, says a worker may be the one training it and how Cancel reaches it', async () => {
    const wrapper = mountWithProviders(RunProgressPanel, { run: makeRun({ id: 6, status: 'running', ownedElsewhere: true }) }, () => {
      useTeamStore().status = { kind: 'team', workers: [], queued: 0 }
    })
    expect(text('run-owned-elsewhere')).toMatch(/A worker or another process on this team store is training this run/)
    expect(text('run-owned-elsewhere')).toMatch(/next lease renewal/)
    wrapper.unmount()
  })

  it('the Experiments status cell says the same', () => {
    expect(statusNote(makeRun({ id: 1, status: 'queued' }), 'starting')).toBe('starting the trainer…')
    expect(statusNote(makeRun({ id: 1, status: 'running' }), 'evaluating')).toBe('evaluating the test set…')
    expect(statusNote(makeRun({ id: 1, status: 'running' }), 'training')).toBeNull()
    expect(statusNote(makeRun({ id: 1, status: 'running', ownedElsewhere: true }), undefined)).toBe('in another process')
    expect(statusNote(makeRun({ id: 1, status: 'failed' }), 'starting')).toBeNull()
  })
})
