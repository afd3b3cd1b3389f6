/** Full run records (history, metrics) and predictions, fetched on demand and kept current. */
import { defineStore } from 'pinia'
import { markRaw, shallowRef } from 'vue'
import type { EventMap } from '@shared/api'
import type { Predictions, RunDetail, RunSummary } from '@shared/run'
import { call, subscribe } from '@renderer/api/client'

export const useRunDetailsStore = defineStore('runDetails', () => {
  // Records are replaced whole, never mutated: histories (hundreds of epochs per run) and predictions
  // (10,000 × 10 floats) stay raw, so no component ever walks them to make them deeply reactive.
  const details = shallowRef(new Map<number, RunDetail>())
  const predictions = shallowRef(new Map<number, Predictions | null>())

  /** Stores a record unless a newer state of the run is already stored (answers and events race). */
  function put(detail: RunDetail): void {
    const shown = details.value.get(detail.id)
    if (shown && shown.version > detail.version) return
    const next = new Map(details.value)
    next.set(detail.id, markRaw(detail))
    details.value = next
  }

  async function load(id: number): Promise<RunDetail> {
    const detail = await call('runs.get', { id })
    put(detail)
    return detail
  }

  /** Keeps records fetched elsewhere (a group's members), so events keep them current too. */
  function putMany(list: readonly RunDetail[]): void {
    const next = new Map(details.value)
    list.forEach((d) => next.set(d.id, markRaw(d)))
    details.value = next
  }

  async function loadMany(ids: number[]): Promise<RunDetail[]> {
    const list = await call('runs.getMany', { ids })
    putMany(list.filter((d) => (details.value.get(d.id)?.version ?? -1) <= d.version))
    return list
  }

  /** Predictions of a finished run; null when the run has none (not finished, failed, cancelled). */
  async function loadPredictions(id: number): Promise<Predictions | null> {
    if (predictions.value.has(id)) return predictions.value.get(id) ?? null
    const p = await call('runs.predictions', { id })
    const next = new Map(predictions.value)
    next.set(id, p && markRaw(p))
    predictions.value = next
    return p
  }

  function applyEpoch(payload: EventMap['runs.epoch']): void {
    const d = details.value.get(payload.runId)
    if (!d) return
    const history = [...d.history.filter((h) => h.epoch !== payload.record.epoch), payload.record]
    history.sort((a, b) => a.epoch - b.epoch)
    put({ ...d, history, epochsDone: Math.max(d.epochsDone, payload.record.epoch) })
  }

  /** A status change can bring metrics and predictions: refetch what is cached. */
  function applyUpdated(run: RunSummary): void {
    const d = details.value.get(run.id)
    if (!d || run.version < d.version) return
    // Epochs recorded by another process arrive without `runs.epoch`: the history is read again.
    const historyBehind = run.epochsDone > (d.history.at(-1)?.epoch ?? 0)
    if (d.status !== run.status || d.testAccuracy !== run.testAccuracy || historyBehind) {
      const next = new Map(predictions.value)
      next.delete(run.id)
      predictions.value = next
      put({ ...d, ...run })
      void load(run.id).catch(() => put({ ...d, ...run }))
    } else {
      put({ ...d, ...run })
    }
  }

  function applyDeleted(payload: EventMap['runs.deleted']): void {
    const nd = new Map(details.value)
    const np = new Map(predictions.value)
    payload.ids.forEach((id) => {
      nd.delete(id)
      np.delete(id)
    })
    details.value = nd
    predictions.value = np
  }

  function connect(): () => void {
    const offs = [subscribe('runs.epoch', applyEpoch), subscribe('runs.updated', applyUpdated), subscribe('runs.deleted', applyDeleted)]
    return () => offs.forEach((off) => off())
  }

  return { details, predictions, load, loadMany, putMany, loadPredictions, applyEpoch, applyUpdated, applyDeleted, connect }
})
