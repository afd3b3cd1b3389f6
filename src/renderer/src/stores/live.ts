/** Live training progress from `runs.progress`: the latest figures and the running epoch's curve. */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { EventMap } from '@shared/api'
import type { TrainerPhase, TrainerPhaseChange, TrainerProgress } from '@shared/trainer-protocol'
import { subscribe } from '@renderer/api/client'

/** One point of the running epoch: x is fractional epochs (epoch 3 half done → 2.5). */
export interface LivePoint {
  x: number
  loss: number
  accuracy: number
}

export const useLiveStore = defineStore('live', () => {
  const progress = shallowRef(new Map<number, TrainerProgress>())
  const points = shallowRef(new Map<number, LivePoint[]>())
  /** What each run's trainer is doing now (starting, loading data, training, evaluating). */
  const phases = shallowRef(new Map<number, TrainerPhase>())

  function applyPhase({ runId, phase }: TrainerPhaseChange): void {
    if (phases.value.get(runId) === phase) return
    const next = new Map(phases.value)
    if (phase) next.set(runId, phase)
    else next.delete(runId)
    phases.value = next
  }

  /** Fraction of the whole run done, 0…1. */
  function fraction(p: TrainerProgress): number {
    const inEpoch = p.batches > 0 ? p.batch / p.batches : 0
    return Math.min(1, Math.max(0, (p.epoch - 1 + inEpoch) / Math.max(1, p.epochs)))
  }

  function applyProgress(p: TrainerProgress): void {
    const nextProgress = new Map(progress.value)
    nextProgress.set(p.runId, p)
    progress.value = nextProgress
    const x = p.epoch - 1 + (p.batches > 0 ? p.batch / p.batches : 0)
    const prev = points.value.get(p.runId) ?? []
    // A new epoch starts a new partial curve.
    const keep = prev.length && Math.floor(prev[prev.length - 1].x - 1e-9) === p.epoch - 1 ? prev : []
    const nextPoints = new Map(points.value)
    nextPoints.set(p.runId, [...keep, { x, loss: p.loss, accuracy: p.accuracy }])
    points.value = nextPoints
  }

  /** A finished epoch replaces the partial curve with a real history record. */
  function applyEpoch(payload: EventMap['runs.epoch']): void {
    dropPoints(payload.runId)
  }

  function dropPoints(runId: number): void {
    if (!points.value.has(runId)) return
    const next = new Map(points.value)
    next.delete(runId)
    points.value = next
  }

  /** Forgets a run's live figures once it stops. */
  function clear(runId: number): void {
    if (progress.value.has(runId)) {
      const p = new Map(progress.value)
      p.delete(runId)
      progress.value = p
    }
    dropPoints(runId)
    applyPhase({ runId, phase: null })
  }

  function connect(): () => void {
    const offs = [
      subscribe('runs.progress', applyProgress),
      subscribe('runs.epoch', applyEpoch),
      subscribe('runs.phase', applyPhase),
      // A queued run may already be starting its trainer: only a final status clears its figures.
      subscribe('runs.updated', (run) => {
        if (run.status !== 'running' && run.status !== 'queued') clear(run.id)
      })
    ]
    return () => offs.forEach((off) => off())
  }

  return { progress, points, phases, fraction, applyProgress, applyEpoch, applyPhase, clear, connect }
})
