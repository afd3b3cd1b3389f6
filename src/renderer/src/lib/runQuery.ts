/** Filtering and sorting of the run list, as pure functions the store and tests share. */
import type { PresetId } from '@shared/presets'
import type { RunStatus, RunSummary } from '@shared/run'

export interface RunFilter {
  /** Case-insensitive text matched against name, preset, tags, backend and id. */
  text: string
  presets: PresetId[]
  statuses: RunStatus[]
  /** A run must carry every listed tag. */
  tags: string[]
}

export const SORT_KEYS = [
  'name',
  'preset',
  'status',
  'bestValAccuracy',
  'testAccuracy',
  'epochsDone',
  'duration',
  'backend',
  'createdAt'
] as const
export type SortKey = (typeof SORT_KEYS)[number]

export interface RunSort {
  key: SortKey
  order: 'ascend' | 'descend'
}

export function emptyFilter(): RunFilter {
  return { text: '', presets: [], statuses: [], tags: [] }
}

/**
 * Training time in ms as the run page shows it (see {@link RunSummary.trainingMs} and `TRAINING_TIME_HINT`):
 * the sum of its recorded epochs, so a resumed run does not count the pause; null before its first epoch.
 */
export function runDurationMs(run: RunSummary): number | null {
  return run.epochsDone > 0 || run.trainingMs > 0 ? run.trainingMs : null
}

export function matchesFilter(run: RunSummary, filter: RunFilter): boolean {
  if (filter.presets.length && !filter.presets.includes(run.preset)) return false
  if (filter.statuses.length && !filter.statuses.includes(run.status)) return false
  if (filter.tags.length && !filter.tags.every((t) => run.tags.includes(t))) return false
  const text = filter.text.trim().toLowerCase()
  if (!text) return true
  const haystack = [run.name, run.preset, run.backend ?? '', `#${run.id}`, ...run.tags].join(' ').toLowerCase()
  return text.split(/\s+/).every((word) => haystack.includes(word))
}

function sortValue(run: RunSummary, key: SortKey): string | number | null {
  if (key === 'duration') return runDurationMs(run)
  if (key === 'createdAt') return Date.parse(run.createdAt)
  return run[key]
}

/** Sorts a copy; missing values (no accuracy yet, no backend) always go last. */
export function sortRuns(runs: readonly RunSummary[], sort: RunSort): RunSummary[] {
  const sign = sort.order === 'ascend' ? 1 : -1
  return [...runs].sort((a, b) => {
    const va = sortValue(a, sort.key)
    const vb = sortValue(b, sort.key)
    if (va === null && vb === null) return b.id - a.id
    if (va === null) return 1
    if (vb === null) return -1
    const c = typeof va === 'string' ? va.localeCompare(String(vb)) : va - (vb as number)
    return c !== 0 ? sign * c : b.id - a.id
  })
}

export function queryRuns(runs: readonly RunSummary[], filter: RunFilter, sort: RunSort): RunSummary[] {
  return sortRuns(
    runs.filter((r) => matchesFilter(r, filter)),
    sort
  )
}

/** Every tag in use, sorted, for the tag filter. */
export function allTags(runs: readonly RunSummary[]): string[] {
  return [...new Set(runs.flatMap((r) => r.tags))].sort((a, b) => a.localeCompare(b))
}

export function isActive(run: RunSummary): boolean {
  return run.status === 'running' || run.status === 'queued'
}

/** An unfinished run with completed epochs: it has a checkpoint to continue from (the server verifies it). */
export function isResumable(run: RunSummary): boolean {
  return (run.status === 'interrupted' || run.status === 'failed' || run.status === 'cancelled') && run.epochsDone > 0
}
