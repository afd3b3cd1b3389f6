/** Throttled progress for a folder import: images done of all, rate and time left, at most every 250 ms. */
import type { DatasetProgress } from '@shared/dataset'

export const PROGRESS_INTERVAL_MS = 250

export interface ProgressMeter {
  /** Reports `done` (throttled unless `force`). */
  tick(done: number, options?: { file?: string; force?: boolean }): void
}

export interface ProgressOptions {
  dataset: string
  phase: DatasetProgress['phase']
  total: number
  onProgress?: (progress: DatasetProgress) => void
  now?: () => number
}

export function progressMeter({ dataset, phase, total, onProgress, now = Date.now }: ProgressOptions): ProgressMeter {
  const started = now()
  let last = -Infinity
  return {
    tick(done, options = {}) {
      if (!onProgress) return
      const t = now()
      if (!options.force && t - last < PROGRESS_INTERVAL_MS) return
      last = t
      const seconds = (t - started) / 1000
      const perSec = seconds > 0 ? done / seconds : 0
      const etaSeconds = perSec > 0 ? Math.max(0, (total - done) / perSec) : null
      onProgress({ dataset, phase, done, total, unit: 'images', perSec, etaSeconds, ...(options.file ? { file: options.file } : {}) })
    }
  }
}
