/** The live display of a training run, shared by `train`, `resume` and `train-more`, and the summary after it. */
import { datasetChecksumWarning } from '@shared/dataset-checksum'
import { DEFAULT_DATASET } from '@shared/dataset'
import type { RunDetail } from '@shared/run'
import type { Core } from '@main/core/core'
import { UsageError, type Flags } from './args'
import { batchNormLine, duration, pct } from './format'
import { createProgressDisplay } from './progress-line'
import { displayQueue } from './display-queue'

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const

/** The `--backend` flag, checked. */
export function backendFlag(flags: Flags): (typeof BACKENDS)[number] {
  const backend = flags.backend ?? 'auto'
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}`)
  return backend as (typeof BACKENDS)[number]
}

/** The warning for a run on Fashion-MNIST files that are not the official ones (other datasets have their own hashes). */
export const unofficialDataWarning = (run: RunDetail): string | null =>
  run.dataset.name === DEFAULT_DATASET ? datasetChecksumWarning(run.datasetChecksum) : null

/**
 * Shows a queued run's progress until it ends (Ctrl-C cancels at the next batch), then prints the
 * outcome. Exit code: 0 completed, 130 cancelled, 1 otherwise.
 */
export async function followRun(core: Core, runId: number, flags: Flags): Promise<number> {
  const display = createProgressDisplay()
  const quiet = flags.json === true
  let announced = false
  const inOrder = displayQueue()
  const offs = [
    core.on('runs.progress', (p) => inOrder(() => p.runId === runId && display.progress(p))),
    core.on('runs.epoch', (e) => {
      if (e.runId === runId) inOrder(async () => display.epoch(e.record, (await core.runs.get(runId)).epochsPlanned))
    }),
    core.on('runs.updated', (r) => {
      if (r.id === runId && r.status === 'running' && !announced) {
        announced = true
        if (!quiet)
          inOrder(() =>
            display.message(r.epochsDone === 0 ? `training on ${r.backend} …` : `continuing after epoch ${r.epochsDone} on ${r.backend} …`)
          )
        // Said even with --json (on stderr): shuffled labels or other images make every number of the run suspect.
        inOrder(async () => {
          const warning = unofficialDataWarning(await core.runs.get(runId))
          if (warning) display.message(`warning: ${warning}`)
        })
      }
    })
  ]
  const onSigint = () => {
    inOrder(() => display.message('cancelling at the next batch … (completed epochs are kept)'))
    inOrder(() => core.runs.cancel(runId))
  }
  process.on('SIGINT', onSigint)
  const outcome = await core.runs.queue.outcome(runId)
  process.off('SIGINT', onSigint)
  offs.forEach((off) => off())
  await inOrder.idle()
  display.end()
  const detail = await core.runs.get(runId)
  if (flags.json) {
    process.stdout.write(
      JSON.stringify({
        id: detail.id,
        name: detail.name,
        status: detail.status,
        testAccuracy: detail.metrics?.testAccuracy ?? null,
        testLoss: detail.metrics?.testLoss ?? null,
        bestValAccuracy: detail.bestValAccuracy,
        backend: detail.backend,
        epochs: detail.epochsDone,
        error: detail.errorMessage
      }) + '\n'
    )
  } else {
    // Training time as the app shows it: the sum of the recorded epochs (a resume's pause not counted).
    const took = detail.epochsDone > 0 ? `${duration(detail.trainingMs / 1000)} training` : 'no epoch trained'
    process.stdout.write(
      `run ${detail.id} ${detail.status} after ${detail.epochsDone}/${detail.epochsPlanned} epochs (${took}) on ${detail.backend ?? '—'}\n` +
        (detail.metrics
          ? `test accuracy ${pct(detail.metrics.testAccuracy)}  test loss ${detail.metrics.testLoss.toFixed(4)}  best val accuracy ${pct(detail.bestValAccuracy)}\n`
          : '') +
        (detail.metrics?.batchNorm ? `${batchNormLine(detail.metrics.batchNorm)}\n` : '') +
        (outcome?.error ? `${outcome.error}\n` : '')
    )
  }
  return detail.status === 'completed' ? 0 : detail.status === 'cancelled' ? 130 : 1
}
