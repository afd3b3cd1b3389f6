/** The run list: loads it, keeps it current from main's events, filters and sorts it, and acts on runs. */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { EventMap } from '@shared/api'
import type { Hparams } from '@shared/hparams'
import type { RunSummary } from '@shared/run'
import { call, subscribe } from '@renderer/api/client'
import { allTags, emptyFilter, queryRuns, type RunFilter, type RunSort } from '@renderer/lib/runQuery'

export const useRunsStore = defineStore('runs', () => {
  // A shallow Map replaced on change: 1,000+ rows without deep reactivity on every field.
  const byId = shallowRef(new Map<number, RunSummary>())
  const loaded = ref(false)
  const filter = ref<RunFilter>(emptyFilter())
  const sort = ref<RunSort>({ key: 'createdAt', order: 'descend' })

  const all = computed(() => [...byId.value.values()])
  const visible = computed(() => queryRuns(all.value, filter.value, sort.value))
  const tags = computed(() => allTags(all.value))

  function get(id: number): RunSummary | undefined {
    return byId.value.get(id)
  }

  function replace(mutate: (map: Map<number, RunSummary>) => void): void {
    const next = new Map(byId.value)
    mutate(next)
    byId.value = next
  }

  // Runs deleted while an answer naming them was on its way: that answer must not bring them back.
  const deleted = new Set<number>()

  /** True when `run` is not older than what is shown: answers and events race, the newest state wins. */
  function isCurrent(map: Map<number, RunSummary>, run: RunSummary): boolean {
    if (deleted.has(run.id)) return false
    const shown = map.get(run.id)
    return !shown || run.version >= shown.version
  }

  async function load(): Promise<void> {
    const runs = await call('runs.list', {})
    // Events that arrived while the list was on its way may be newer than its rows.
    const previous = byId.value
    const next = new Map<number, RunSummary>()
    for (const run of runs) {
      if (deleted.has(run.id)) continue
      const shown = previous.get(run.id)
      next.set(run.id, shown && shown.version > run.version ? shown : run)
    }
    byId.value = next
    loaded.value = true
  }

  /** Shows a run's state from an event or an answer, unless a newer state of it is already shown. */
  function applyUpdated(run: RunSummary): void {
    if (!isCurrent(byId.value, run)) return
    replace((m) => m.set(run.id, run))
  }

  function applyDeleted(payload: EventMap['runs.deleted']): void {
    payload.ids.forEach((id) => deleted.add(id))
    replace((m) => payload.ids.forEach((id) => m.delete(id)))
  }

  /** A finished epoch moves the run's counters before main's next summary arrives. */
  function applyEpoch(payload: EventMap['runs.epoch']): void {
    const run = byId.value.get(payload.runId)
    if (!run) return
    const best = Math.max(run.bestValAccuracy ?? -Infinity, payload.record.valAccuracy)
    replace((m) =>
      m.set(run.id, {
        ...run,
        status: run.status === 'queued' ? 'running' : run.status,
        epochsDone: Math.max(run.epochsDone, payload.record.epoch),
        bestValAccuracy: Number.isFinite(best) ? best : null
      })
    )
  }

  /** Subscribes to main's run events; returns the unsubscribe function. */
  function connect(): () => void {
    const offs = [subscribe('runs.updated', applyUpdated), subscribe('runs.deleted', applyDeleted), subscribe('runs.epoch', applyEpoch)]
    return () => offs.forEach((off) => off())
  }

  async function start(hparams: Hparams, name?: string): Promise<RunSummary> {
    const run = await call('runs.start', name ? { hparams, name } : { hparams })
    applyUpdated(run)
    return run
  }

  /** Records the run as queued in the team store, for whichever worker takes it first. */
  async function submit(hparams: Hparams, name?: string): Promise<RunSummary> {
    const run = await call('runs.submit', name ? { hparams, name } : { hparams })
    applyUpdated(run)
    return run
  }

  async function startSeedPresets(epochs?: number): Promise<RunSummary[]> {
    const runs = await call('runs.startSeedPresets', epochs ? { epochs } : {})
    replace((m) => runs.forEach((r) => isCurrent(m, r) && m.set(r.id, r)))
    return runs
  }

  async function update(request: { id: number; name?: string; notes?: string; tags?: string[] }): Promise<RunSummary> {
    const run = await call('runs.update', request)
    applyUpdated(run)
    return run
  }

  async function remove(ids: number[]): Promise<number> {
    const { deleted } = await call('runs.delete', { ids })
    applyDeleted({ ids })
    return deleted
  }

  async function rerun(id: number): Promise<RunSummary> {
    const run = await call('runs.rerun', { id })
    applyUpdated(run)
    return run
  }

  async function cancel(id: number): Promise<RunSummary> {
    const run = await call('runs.cancel', { id })
    applyUpdated(run)
    return run
  }

  async function resume(id: number): Promise<RunSummary> {
    const run = await call('runs.resume', { id })
    applyUpdated(run)
    return run
  }

  async function trainMore(id: number, epochs: number): Promise<RunSummary> {
    const run = await call('runs.trainMore', { id, epochs })
    applyUpdated(run)
    return run
  }

  function resetFilter(): void {
    filter.value = emptyFilter()
  }

  return {
    byId,
    loaded,
    filter,
    sort,
    all,
    visible,
    tags,
    get,
    load,
    connect,
    applyUpdated,
    applyDeleted,
    applyEpoch,
    start,
    submit,
    startSeedPresets,
    update,
    remove,
    rerun,
    cancel,
    resume,
    trainMore,
    resetFilter
  }
})
