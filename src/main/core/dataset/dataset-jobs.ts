/** Downloads and imports in progress, one per dataset name: joined, cancelled, reported. */
import type { DatasetProgress } from '@shared/dataset'
import { conflict } from '../errors'

/** What a job is doing (a second request of the same kind joins it; another kind is refused). */
export type DatasetJobKind = 'download' | 'import'

interface Job {
  kind: DatasetJobKind
  controller: AbortController
  promise: Promise<unknown>
}

export interface DatasetJobs {
  /**
   * Runs `work` as the job of `name`, or returns the running job's promise when one of the same kind
   * is running (a second click joins it); a job of another kind on that name is a conflict.
   */
  run<T>(name: string, kind: DatasetJobKind, work: (signal: AbortSignal) => Promise<T>): Promise<T>
  /** Aborts the job of `name`; false when none runs. */
  cancel(name: string): boolean
  busy(name: string): boolean
}

export function createDatasetJobs(): DatasetJobs {
  const jobs = new Map<string, Job>()
  return {
    run<T>(name: string, kind: DatasetJobKind, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const running = jobs.get(name)
      if (running?.kind === kind) return running.promise as Promise<T>
      if (running) {
        throw conflict(`${name} is being ${running.kind === 'download' ? 'downloaded' : 'imported'} now; wait for it or cancel it first.`)
      }
      const controller = new AbortController()
      const promise = work(controller.signal).finally(() => {
        if (jobs.get(name)?.controller === controller) jobs.delete(name)
      })
      jobs.set(name, { kind, controller, promise })
      return promise
    },
    cancel(name: string): boolean {
      const job = jobs.get(name)
      if (!job) return false
      job.controller.abort()
      return true
    },
    busy: (name: string): boolean => jobs.has(name)
  }
}

/**
 * Adds a rate and an ETA to progress reports that lack them (measured from the first report of the
 * phase), so every source's progress shows both.
 */
export function withEta(report: (p: DatasetProgress) => void, now: () => number = Date.now): (p: DatasetProgress) => void {
  let phase = ''
  let start = 0
  let startDone = 0
  return (p) => {
    const t = now()
    if (p.phase !== phase) {
      phase = p.phase
      start = t
      startDone = p.done
    }
    const seconds = (t - start) / 1000
    const perSec = p.perSec > 0 ? p.perSec : seconds > 0.5 ? (p.done - startDone) / seconds : 0
    const etaSeconds = p.etaSeconds ?? (perSec > 0 && p.total > 0 ? Math.max(0, (p.total - p.done) / perSec) : null)
    report({ ...p, perSec, etaSeconds })
  }
}
