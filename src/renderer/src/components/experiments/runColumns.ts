/** Column definitions of the experiments table (render functions, so they live in a .ts file). */
import { h } from 'vue'
import { NButton, NDropdown, NProgress, NSpace, NTag, NTooltip, type DataTableColumns } from 'naive-ui'
import { TRAINING_TIME_HINT, type HpValue, type RunStatus, type RunSummary } from '@shared/run'
import { TRAINER_PHASE_LABELS, type TrainerPhase, type TrainerProgress } from '@shared/trainer-protocol'
import { modelTitle } from '@shared/run-architecture'
import { HPARAM_LABELS } from '@renderer/components/new-run/humaniseFieldErrors'
import { duration, meanStd, percent, plural, shortDateTime, significant } from '@renderer/lib/format'
import { isGroupRow, type GroupRow, type TableRow } from '@renderer/lib/groupRows'
import type { Spread } from '@shared/spread'
import { sortFromKey } from './rowKeyboard'
import { isActive, isResumable, runDurationMs, type RunSort, type SortKey } from '@renderer/lib/runQuery'
import RunDiagnosisBadge from '@renderer/components/run/RunDiagnosisBadge.vue'
import { runDatasetName } from '@renderer/lib/datasetImage'

export type RowAction = 'open' | 'edit' | 'rerun' | 'cancel' | 'delete' | 'resume' | 'trainMore'

export interface RunColumnsOptions {
  sort: RunSort
  /** Current time, so durations of running runs tick. */
  now: number
  progressOf: (id: number) => TrainerProgress | undefined
  fractionOf: (p: TrainerProgress) => number
  /** What the run's trainer is doing (starting, loading data, evaluating), when known. */
  phaseOf?: (id: number) => TrainerPhase | undefined
  onAction: (action: RowAction, run: RunSummary) => void
  /** Opens a group: Compare with its mean curve and spread. */
  onOpenGroup: (group: GroupRow) => void
  /** Hyperparameter columns the user chose, by dotted path (`learningRate`). */
  hpColumns?: readonly string[]
  /** Sweep names by id, for the Sweep column (shown when any run comes from a sweep). */
  sweepNames?: ReadonlyMap<number, string>
  /** Dataset titles by name, for the Dataset column, shown when given (some run trained on another dataset than Fashion-MNIST). */
  datasetTitles?: ReadonlyMap<string, string>
}

/** A hyperparameter as a list cell: learning rates to 4 significant digits, switches as on/off. */
export function hpCell(v: HpValue | undefined): string {
  if (v === undefined || v === null) return '—'
  if (typeof v === 'boolean') return v ? 'on' : 'off'
  if (typeof v === 'number') return significant(v)
  return v
}

/** A group's value of one hyperparameter: the members' common value, or "varies". */
function groupHp(g: GroupRow, path: string): string {
  const values = new Set(g.members.map((m) => hpCell(m.hp?.[path])))
  return values.size === 1 ? [...values][0]! : 'varies'
}

export const STATUS_TYPES: Record<RunStatus, 'default' | 'info' | 'success' | 'error' | 'warning'> = {
  queued: 'default',
  running: 'info',
  completed: 'success',
  failed: 'error',
  cancelled: 'warning',
  interrupted: 'warning'
}

/** Words beside the status tag: which phase the trainer is in, or that another process trains the run. */
export function statusNote(run: RunSummary, phase: TrainerPhase | undefined): string | null {
  if (run.ownedElsewhere) return 'in another process'
  if ((run.status === 'queued' || run.status === 'running') && phase && phase !== 'training') return `${TRAINER_PHASE_LABELS[phase]}…`
  return null
}

const OWNED_ELSEWHERE_HINT =
  'Another process (e.g. `npm run cli -- train`) is training this run on the same database; epochs appear here as they finish.'

function renderStatus(run: RunSummary, o: RunColumnsOptions) {
  const tag = h(NTag, { size: 'small', type: STATUS_TYPES[run.status], bordered: false }, () => run.status)
  const phase = o.phaseOf?.(run.id)
  const note = statusNote(run, phase)
  const p = run.status === 'running' && phase !== 'evaluating' && phase !== 'batch-norm' ? o.progressOf(run.id) : undefined
  const attrs = {
    'data-testid': 'run-status',
    'data-status': run.status,
    'data-phase': phase ?? '',
    style: 'display:flex;gap:6px;align-items:center'
  }
  if (!p) {
    if (!note) return h('span', attrs, [tag])
    const text = h('span', { class: 'muted', style: 'font-size:12px;white-space:nowrap', 'data-testid': 'run-status-note' }, note)
    return h('div', attrs, [
      tag,
      run.ownedElsewhere ? h(NTooltip, null, { trigger: () => text, default: () => OWNED_ELSEWHERE_HINT }) : text
    ])
  }
  return h('div', attrs, [
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
    h(NButton, { size: 'tiny', focusable: false, 'data-testid': 'row-open', onClick: () => o.onAction('open', run) }, () => 'Open'),
    h(NDropdown, { options, trigger: 'click', onSelect: (key: RowAction) => o.onAction(key, run) }, () =>
      h(NButton, { size: 'tiny', quaternary: true, 'data-testid': 'row-actions' }, () => '⋯')
    )
  ])
}

/** Mean ± sample std with a tooltip that says what the ± means. */
function renderSpread(s: Spread | null, what: string) {
  if (!s) return '—'
  return h(NTooltip, null, {
    trigger: () => h('span', { 'data-testid': 'group-spread' }, meanStd(s)),
    default: () =>
      `${what}: mean ± sample standard deviation (divides by n − 1) over ${plural(s.n, 'finished run')}` +
      (s.n < 2 ? '; one run has no spread' : '')
  })
}

function groupStatus(g: GroupRow): string {
  const counts = new Map<string, number>()
  g.members.forEach((m) => counts.set(m.status, (counts.get(m.status) ?? 0) + 1))
  return [...counts].map(([status, n]) => `${n} ${status}`).join(' · ')
}

/** The columns of run rows; a group row fills the same columns with its members' figures. */
export function buildRunColumns(o: RunColumnsOptions): DataTableColumns<TableRow> {
  const sortable = (key: SortKey) => ({
    key,
    sorter: true as const,
    sortOrder: o.sort.key === key ? o.sort.order : (false as const)
  })
  /** A sortable column's title, reachable with Tab and sorted with Enter or Space. */
  const sortTitle = (text: string, key: SortKey) => () =>
    h(
      'span',
      {
        tabindex: 0,
        role: 'button',
        class: 'sort-title',
        'data-testid': `sort-${key}`,
        'aria-label': `${text}: sort${o.sort.key === key ? (o.sort.order === 'ascend' ? ' (ascending now)' : ' (descending now)') : ''}`,
        onKeydown: sortFromKey
      },
      text
    )
  const either =
    <A, B>(run: (r: RunSummary) => A, group: (g: GroupRow) => B) =>
    (row: TableRow): A | B =>
      isGroupRow(row) ? group(row) : run(row)
  const hpColumns: DataTableColumns<TableRow> = (o.hpColumns ?? []).map((path) => ({
    ...sortable(`hp.${path}`),
    title: sortTitle(HPARAM_LABELS[path] ?? path, `hp.${path}`),
    width: Math.max(100, Math.min(200, (HPARAM_LABELS[path] ?? path).length * 8 + 40)),
    render: either(
      (run) => hpCell(run.hp?.[path]),
      (g) => groupHp(g, path)
    )
  }))
  const sweepNames = o.sweepNames ?? new Map<number, string>()
  const sweepColumn: DataTableColumns<TableRow> = sweepNames.size
    ? [
        {
          key: 'sweep',
          title: 'Sweep',
          width: 140,
          ellipsis: { tooltip: true },
          render: either(
            (run) =>
              run.sweepId === null
                ? ''
                : h(
                    'a',
                    { href: `#/sweeps/${run.sweepId}`, 'data-testid': 'run-sweep' },
                    sweepNames.get(run.sweepId) ?? `Sweep ${run.sweepId}`
                  ),
            (g) => {
              const id = g.members[0]?.sweepId ?? null
              return id === null ? '' : h('a', { href: `#/sweeps/${id}` }, sweepNames.get(id) ?? `Sweep ${id}`)
            }
          )
        }
      ]
    : []
  const titles = o.datasetTitles
  const datasetTitle = (name: string): string => titles?.get(name) ?? name
  const datasetColumn: DataTableColumns<TableRow> = titles
    ? [
        {
          ...sortable('hp.dataset'),
          title: sortTitle('Dataset', 'hp.dataset'),
          width: 130,
          ellipsis: { tooltip: true },
          render: either(
            (run) => h('span', { 'data-testid': 'run-dataset', title: runDatasetName(run) }, datasetTitle(runDatasetName(run))),
            (g) => {
              const names = new Set(g.members.map((m) => runDatasetName(m)))
              return names.size === 1 ? datasetTitle([...names][0]!) : 'varies'
            }
          )
        }
      ]
    : []
  return [
    // Selection and Name stay in view (and the actions on the right) however far the table scrolls sideways.
    { type: 'selection', width: 40, fixed: 'left' },
    {
      ...sortable('name'),
      title: sortTitle('Name', 'name'),
      fixed: 'left',
      // Drag the header's edge to widen it: sweep runs' names differ only at their ends.
      resizable: true,
      width: 240,
      minWidth: 140,
      maxWidth: 640,
      ellipsis: { tooltip: true },
      render: either(
        (run) =>
          h('a', { href: `#/runs/${run.id}`, class: 'run-link', 'data-testid': 'run-name' }, [
            // First, so a long name's ellipsis never hides it.
            h(RunDiagnosisBadge, { runId: run.id }),
            run.name,
            ...run.tags.map((t) => h(NTag, { size: 'tiny', round: true, style: 'margin-left:6px' }, () => t))
          ]),
        (g) =>
          // The seed count first, so a long group name is what the ellipsis shortens.
          h('span', { 'data-testid': 'group-name' }, [
            h(NTag, { size: 'tiny', round: true, type: 'info', style: 'margin-right:6px' }, () => `${g.members.length} seeds`),
            h('strong', g.name)
          ])
      )
    },
    ...sweepColumn,
    ...datasetColumn,
    ...hpColumns,
    { ...sortable('preset'), title: sortTitle('Preset', 'preset'), width: 130, render: (row) => modelTitle(row) },
    {
      ...sortable('status'),
      title: sortTitle('Status', 'status'),
      width: 190,
      render: either(
        (run) => renderStatus(run, o),
        (g) => h('span', { class: 'muted', 'data-testid': 'group-status' }, groupStatus(g))
      )
    },
    {
      ...sortable('bestValAccuracy'),
      title: sortTitle('Best val', 'bestValAccuracy'),
      width: 150,
      render: either(
        (run) => percent(run.bestValAccuracy),
        (g) => renderSpread(g.bestValAccuracy, 'Best validation accuracy')
      )
    },
    {
      ...sortable('testAccuracy'),
      title: sortTitle('Test acc', 'testAccuracy'),
      width: 150,
      render: either(
        (run) => percent(run.testAccuracy),
        (g) => renderSpread(g.testAccuracy, 'Test accuracy')
      )
    },
    {
      ...sortable('epochsDone'),
      title: sortTitle('Epochs', 'epochsDone'),
      width: 90,
      render: either(
        (run) => `${run.epochsDone}/${run.epochsPlanned}`,
        (g) => `${g.members.reduce((a, m) => a + m.epochsDone, 0)}/${g.members.reduce((a, m) => a + m.epochsPlanned, 0)}`
      )
    },
    {
      ...sortable('duration'),
      title: () => h(NTooltip, null, { trigger: sortTitle('Training time', 'duration'), default: () => TRAINING_TIME_HINT }),
      width: 125,
      render: either(
        (run) => duration(runDurationMs(run)),
        () => ''
      )
    },
    {
      ...sortable('backend'),
      title: sortTitle('Backend', 'backend'),
      width: 100,
      render: either(
        (run) => run.backend ?? '—',
        () => ''
      )
    },
    { ...sortable('createdAt'), title: sortTitle('Created', 'createdAt'), width: 150, render: (row) => shortDateTime(row.createdAt) },
    {
      key: 'actions',
      title: '',
      fixed: 'right',
      width: 104,
      render: either(
        (run) => renderActions(run, o),
        (g) => h(NButton, { size: 'tiny', 'data-testid': 'group-open', onClick: () => o.onOpenGroup(g) }, () => 'Compare')
      )
    }
  ]
}
