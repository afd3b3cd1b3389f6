/** Filtering and sorting of the run list, as pure functions the store and tests share. */
import type { RunPreset } from '@shared/hparams'
import type { RunStatus, RunSummary } from '@shared/run'
import { runDatasetName } from './datasetImage'

export interface RunFilter {
  /** Case-insensitive text matched against name, notes, preset, tags, backend and id. */
  text: string
  presets: RunPreset[]
  statuses: RunStatus[]
  /** A run must carry every listed tag. */
  tags: string[]
  /** A run must come from one of these sweeps (empty: any run). */
  sweepIds?: number[]
  /** A run must have trained on one of these datasets, by name (empty: any). */
  datasets?: string[]
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
/** A fixed column, or a hyperparameter column by its dotted path (`hp.learningRate`). */
export type SortKey = (typeof SORT_KEYS)[number] | `hp.${string}`

/** Whether a column key can sort the list. */
export const isSortKey = (key: unknown): key is SortKey =>
  typeof key === 'string' && ((SORT_KEYS as readonly string[]).includes(key) || (key.startsWith('hp.') && key.length > 3))

export interface RunSort {
  key: SortKey
  order: 'ascend' | 'descend'
}

export function emptyFilter(): RunFilter {
  return { text: '', presets: [], statuses: [], tags: [], sweepIds: [], datasets: [] }
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
  if (filter.sweepIds?.length && (run.sweepId === null || !filter.sweepIds.includes(run.sweepId))) return false
  if (filter.datasets?.length && !filter.datasets.includes(runDatasetName(run))) return false
  const text = filter.text.trim().toLowerCase()
  if (!text) return true
  const haystack = [
    run.name,
    run.preset,
    run.architectureName ?? '',
    runDatasetName(run),
    run.backend ?? '',
    `#${run.id}`,
    ...run.tags,
    run.notes ?? ''
  ]
    .join(' ')
    .toLowerCase()
  return text.split(/\s+/).every((word) => haystack.includes(word))
}

/** The value a run's column shows, as the sort compares it. */
export function sortValue(run: RunSummary, key: SortKey): string | number | null {
  if (key === 'duration') return runDurationMs(run)
  if (key === 'createdAt') return Date.parse(run.createdAt)
  // Runs from before datasets existed have no `dataset` in their hyperparameters: they trained on the default.
  if (key === 'hp.dataset') return runDatasetName(run)
  if (key.startsWith('hp.')) {
    const v = run.hp?.[key.slice(3)]
    return typeof v === 'number' || typeof v === 'string' ? v : typeof v === 'boolean' ? Number(v) : null
  }
  return run[key as Exclude<(typeof SORT_KEYS)[number], 'duration' | 'createdAt'>]
}

/** Orders two sort values in `sort`'s direction; missing values (null, NaN) go last in both directions; 0 on a tie. */
export function compareSortValues(va: string | number | null, vb: string | number | null, order: RunSort['order']): number {
  const missing = (v: string | number | null) => v === null || (typeof v === 'number' && Number.isNaN(v))
  if (missing(va) && missing(vb)) return 0
  if (missing(va)) return 1
  if (missing(vb)) return -1
  const c = typeof va === 'string' ? va.localeCompare(String(vb)) : (va as number) - (vb as number)
  return order === 'ascend' ? c : -c
}

/** Sorts a copy; missing values (no accuracy yet, no backend) always go last. */
export function sortRuns(runs: readonly RunSummary[], sort: RunSort): RunSummary[] {
  return [...runs].sort((a, b) => compareSortValues(sortValue(a, sort.key), sortValue(b, sort.key), sort.order) || b.id - a.id)
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
