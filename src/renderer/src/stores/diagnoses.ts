/** What went wrong with runs that finished anyway (diverged, chance level, unsettled batch norm), for the run list's badges. */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { RunDiagnosisEntry } from '@shared/api'
import type { RunDiagnosis } from '@shared/run-diagnosis'
import type { RunSummary } from '@shared/run'
import { call, subscribe } from '@renderer/api/client'

const SETTLED: ReadonlySet<RunSummary['status']> = new Set(['completed', 'failed', 'cancelled', 'interrupted'])

export const useDiagnosesStore = defineStore('diagnoses', () => {
  const byRun = shallowRef(new Map<number, RunDiagnosis[]>())
  let loading: Promise<void> | null = null
  let started = false

  function load(): Promise<void> {
    loading ??= call('runs.diagnoses', {})
      .then((entries: RunDiagnosisEntry[]) => {
        byRun.value = new Map(entries.map((e) => [e.runId, e.diagnoses]))
      })
      .catch(() => undefined) // A badge is a hint: without it the list still works.
      .finally(() => (loading = null))
    return loading
  }

  /** Loads once, then follows runs as they end; returns the unsubscribe function. */
  function follow(): () => void {
    if (!started) void load()
    started = true
    const offUpdated = subscribe('runs.updated', (run) => {
      if (SETTLED.has(run.status)) void load()
    })
    const offDeleted = subscribe('runs.deleted', ({ ids }) => {
      const next = new Map(byRun.value)
      ids.forEach((id) => next.delete(id))
      byRun.value = next
    })
    return () => {
      offUpdated()
      offDeleted()
    }
  }

  const of = (runId: number): RunDiagnosis[] => byRun.value.get(runId) ?? []

  return { byRun, load, follow, of }
})
