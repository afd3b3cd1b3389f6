/** Trains runs the core has queued (a group or a sweep) with one live display, then reports each. */
import type { Core } from '@main/core/core'
import type { RunDetail } from '@shared/run'
import { spreadOf, type Spread } from '@shared/spread'
import { pct, table } from './format'
import { createProgressDisplay } from './progress-line'
import { unofficialDataWarning } from './follow-run'
import { displayQueue } from './display-queue'

/** Options of {@link trainQueued}. */
export interface TrainQueuedOptions {
  core: Core
  /** The queued runs, in the order to report them. */
  ids: number[]
  /** No progress lines (the caller prints JSON). */
  quiet: boolean
}

/** Waits for every queued run (Ctrl-C cancels them all, keeping completed epochs) and returns their records. */
export async function trainQueued({ core, ids, quiet }: TrainQueuedOptions): Promise<RunDetail[]> {
  const display = createProgressDisplay()
  const wanted = new Set(ids)
  const position = (id: number) => `${ids.indexOf(id) + 1}/${ids.length}`
  let warned = false
  const inOrder = displayQueue()
  const offs = [
    core.on('runs.progress', (p) => inOrder(() => !quiet && wanted.has(p.runId) && display.progress(p))),
    core.on('runs.epoch', (e) => {
      if (!quiet && wanted.has(e.runId)) inOrder(async () => display.epoch(e.record, (await core.runs.get(e.runId)).epochsPlanned))
    }),
    core.on('runs.updated', (r) =>
      inOrder(async () => {
        if (!wanted.has(r.id)) return
        // Every run reads the same folder: one warning (even with --json, on stderr) is enough.
        const warning = !warned && r.status === 'running' ? unofficialDataWarning(await core.runs.get(r.id)) : null
        if (warning && !warned) {
          warned = true
          display.message(`warning: ${warning}`)
        }
        if (quiet) return
        if (r.status === 'running' && r.epochsDone === 0)
          display.message(`run ${r.id} (${position(r.id)}) "${r.name}" training on ${r.backend} …`)
        if (r.status !== 'running' && r.status !== 'queued')
          display.message(`run ${r.id} ${r.status}  test accuracy ${pct(r.testAccuracy)}`)
      })
    )
  ]
  const onSigint = () => {
    inOrder(async () => {
      display.message('cancelling every run at the next batch … (completed epochs are kept)')
      for (const id of ids) {
        const status = (await core.runs.get(id)).status
        if (status === 'queued' || status === 'running') await core.runs.cancel(id)
      }
    })
  }
  process.on('SIGINT', onSigint)
  try {
    await core.runs.queue.idle()
  } finally {
    process.off('SIGINT', onSigint)
    offs.forEach((off) => off())
    await inOrder.idle()
    display.end()
  }
  return core.runs.getMany(ids)
}

/** Mean ± sample std (n − 1) as text, e.g. "84.12% ± 0.31% (n = 3)". */
export function spreadText(s: Spread | null): string {
  if (!s) return '—'
  return `${pct(s.mean)}${s.std === null ? '' : ` ± ${pct(s.std)}`} (n = ${s.n})`
}

/** A table of runs with their seed and results, and the mean ± std of the finished ones. */
export function membersReport(runs: RunDetail[]): string {
  const rows = runs.map((r) => [r.id, r.seed, r.status, `${r.epochsDone}/${r.epochsPlanned}`, pct(r.bestValAccuracy), pct(r.testAccuracy)])
  return (
    table(['id', 'seed', 'status', 'epochs', 'best val', 'test acc'], rows) +
    `\ntest accuracy ${spreadText(spreadOf(runs.map((r) => r.testAccuracy)))}` +
    `   best val accuracy ${spreadText(spreadOf(runs.map((r) => r.bestValAccuracy)))}   (± is the sample standard deviation, n − 1)\n`
  )
}
