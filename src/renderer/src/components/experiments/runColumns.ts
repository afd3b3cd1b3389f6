/** Column definitions of the experiments table (render functions, so they live in a .ts file). */
import { h } from 'vue'
import { NButton, NDropdown, NProgress, NSpace, NTag, type DataTableColumns } from 'naive-ui'
import type { RunStatus, RunSummary } from '@shared/run'
import type { TrainerProgress } from '@shared/trainer-protocol'
import { PRESETS } from '@shared/presets'
import { duration, percent, shortDateTime } from '@renderer/lib/format'
import { isActive, isResumable, runDurationMs, type RunSort, type SortKey } from '@renderer/lib/runQuery'

export type RowAction = 'open' | 'edit' | 'rerun' | 'cancel' | 'delete' | 'resume' | 'trainMore'

export interface RunColumnsOptions {
  sort: RunSort
  /** Current time, so durations of running runs tick. */
  now: number
  progressOf: (id: number) => TrainerProgress | undefined
  fractionOf: (p: TrainerProgress) => number
  onAction: (action: RowAction, run: RunSummary) => void
}

export const STATUS_TYPES: Record<RunStatus, 'default' | 'info' | 'success' | 'error' | 'warning'> = {
  queued: 'default',
  running: 'info',
  completed: 'success',
  failed: 'error',
  cancelled: 'warning',
  interrupted: 'warning'
}

function renderStatus(run: RunSummary, o: RunColumnsOptions) {
  const tag = h(NTag, { size: 'small', type: STATUS_TYPES[run.status], bordered: false }, () => run.status)
  const p = run.status === 'running' ? o.progressOf(run.id) : undefined
  if (!p) return h('span', { 'data-testid': 'run-status', 'data-status': run.status }, [tag])
  return h('div', { 'data-testid': 'run-status', 'data-status': run.status, style: 'display:flex;gap:6px;align-items:center' }, [
    tag,
    h(NProgress, {
      type: 'line',
      percentage: Math.round(o.fractionOf(p) * 1000) / 10,
      showIndicator: false,
      height: 6,
      style: 'width:80px',
      'data-testid': 'run-progress'
    })
  ])
}

function renderActions(run: RunSummary, o: RunColumnsOptions) {
  const options = [
    { key: 'edit', label: 'Rename, notes, tags…' },
    { key: 'rerun', label: 'Re-run' },
    ...(isResumable(run) ? [{ key: 'resume', label: 'Resume' }] : []),
    ...(run.status === 'completed' ? [{ key: 'trainMore', label: 'Train more…' }] : []),
    ...(isActive(run) ? [{ key: 'cancel', label: 'Cancel' }] : []),
    { key: 'delete', label: 'Delete…' }
  ]
  return h(NSpace, { size: 4, wrap: false }, () => [
    h(NButton, { size: 'tiny', 'data-testid': 'row-open', onClick: () => o.onAction('open', run) }, () => 'Open'),
    h(
      NDropdown,
      { options, trigger: 'click', onSelect: (key: RowAction) => o.onAction(key, run) },
      () => h(NButton, { size: 'tiny', quaternary: true, 'data-testid': 'row-actions' }, () => '⋯')
    )
  ])
}

export function buildRunColumns(o: RunColumnsOptions): DataTableColumns<RunSummary> {
  const sortable = (key: SortKey) => ({
    key,
    sorter: true as const,
    sortOrder: o.sort.key === key ? o.sort.order : (false as const)
  })
  return [
    { type: 'selection', width: 40 },
    {
      ...sortable('name'),
      title: 'Name',
      minWidth: 180,
      ellipsis: { tooltip: true },
      render: (run) =>
        h('a', { href: `#/runs/${run.id}`, class: 'run-link', 'data-testid': 'run-name' }, [
          run.name,
          ...run.tags.map((t) => h(NTag, { size: 'tiny', round: true, style: 'margin-left:6px' }, () => t))
        ])
    },
    { ...sortable('preset'), title: 'Preset', width: 130, render: (run) => PRESETS[run.preset]?.title ?? run.preset },
    { ...sortable('status'), title: 'Status', width: 190, render: (run) => renderStatus(run, o) },
    { ...sortable('bestValAccuracy'), title: 'Best val', width: 100, render: (run) => percent(run.bestValAccuracy) },
    { ...sortable('testAccuracy'), title: 'Test acc', width: 100, render: (run) => percent(run.testAccuracy) },
    {
      ...sortable('epochsDone'),
      title: 'Epochs',
      width: 90,
      render: (run) => `${run.epochsDone}/${run.epochsPlanned}`
    },
    { ...sortable('duration'), title: 'Duration', width: 105, render: (run) => duration(runDurationMs(run, o.now)) },
    { ...sortable('backend'), title: 'Backend', width: 100, render: (run) => run.backend ?? '—' },
    { ...sortable('createdAt'), title: 'Created', width: 150, render: (run) => shortDateTime(run.createdAt) },
    { key: 'actions', title: '', width: 96, render: (run) => renderActions(run, o) }
  ]
}
