/** The sentences the Datasets view shows: progress of a job, and what removing a dataset will do. */
import type { DatasetInfo, DatasetProgress } from '@shared/dataset'
import { bytes, integer, plural } from './format'

const PHASES: Record<DatasetProgress['phase'], string> = {
  downloading: 'Downloading',
  verifying: 'Verifying',
  decoding: 'Reading images',
  writing: 'Writing'
}

/** Seconds as "about 40 s" / "about 3 min". */
export function eta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return ''
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`
  return `about ${(seconds / 3600).toFixed(1)} h left`
}

/** Percent done (0–100, one decimal), or null when the total is not known yet. */
export function progressPercent(p: DatasetProgress): number | null {
  return p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 1000) / 10) : null
}

/** "Downloading t10k-images… · 12.0 MB of 30.0 MB · 2.0 MB/s · about 9 s left". */
export function progressLine(p: DatasetProgress): string {
  const amount = (n: number): string => (p.unit === 'bytes' ? bytes(n) : integer(n))
  const parts = [`${PHASES[p.phase]}${p.file ? ` ${p.file}` : ''}`]
  parts.push(p.total > 0 ? `${amount(p.done)} of ${amount(p.total)}${p.unit === 'images' ? ' images' : ''}` : amount(p.done))
  if (p.perSec > 0) parts.push(p.unit === 'bytes' ? `${bytes(p.perSec)}/s` : `${integer(Math.round(p.perSec))} images/s`)
  const left = eta(p.etaSeconds)
  if (left) parts.push(left)
  return parts.join(' · ')
}

/** What the remove confirmation says and asks. */
export interface RemovalText {
  title: string
  body: string
  /** Label of the "delete the runs too" check box; null when no run uses the dataset. */
  withRuns: string | null
}

export function removalText(d: Pick<DatasetInfo, 'title' | 'name' | 'runCount' | 'source'>): RemovalText {
  const what =
    d.source === 'folder' ? 'Its imported images are deleted' : 'Its downloaded files are deleted (you can download or import them again)'
  if (d.runCount === 0) {
    return { title: `Remove ${d.title}?`, body: `${what}. No run uses it; nothing else changes.`, withRuns: null }
  }
  const runs = plural(d.runCount, 'run')
  return {
    title: `Remove ${d.title}?`,
    body:
      `${runs} trained on ${d.title}. A dataset is not removed while runs use it: ` +
      `tick the box to delete ${d.runCount === 1 ? 'that run' : `those ${runs}`} too (metrics, models and checkpoints), or keep the dataset. ${what}.`,
    withRuns: `Also delete the ${runs} that use it`
  }
}
