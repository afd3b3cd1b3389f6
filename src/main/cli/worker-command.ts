/**
 * `worker`: this machine trains the team store's queued runs until Ctrl-C (which hands the runs in
 * hand back to the queue, to be resumed from their checkpoints by another worker).
 */
import { availableParallelism } from 'node:os'
import { DEFAULT_LEASE_MS } from '@main/core/core'
import { isPostgresUrl, shownStoreLocation } from '@main/core/default-paths'
import { numberFlag, UsageError, type Flags } from './args'
import { cliPaths, openCore } from './context'
import { backendFlag } from './follow-run'

/** Shortest lease a worker may ask for: pg-boss notices a dead worker no sooner than 10 s. */
const MIN_LEASE_SECONDS = 10

export async function workerCommand(flags: Flags): Promise<number> {
  const paths = cliPaths(flags)
  const shown = shownStoreLocation(paths.dbPath)
  if (!isPostgresUrl(paths.dbPath)) {
    throw new UsageError(
      `worker needs a team store that every machine reaches: --db postgres://USER@HOST/DATABASE (or ATELIER_DB). ${shown} is a SQLite file, this machine's alone; train its runs here with "train".`
    )
  }
  const cores = availableParallelism()
  const concurrency = numberFlag('concurrency', flags.concurrency, true) ?? 1
  if (concurrency < 1 || concurrency > cores)
    throw new UsageError(`--concurrency must be between 1 and ${cores} (this machine's cores), got ${concurrency}`)
  const leaseSeconds = numberFlag('lease-seconds', flags['lease-seconds'], true) ?? DEFAULT_LEASE_MS / 1000
  if (leaseSeconds < MIN_LEASE_SECONDS || leaseSeconds > 3600) {
    throw new UsageError(`--lease-seconds must be between ${MIN_LEASE_SECONDS} and 3600, got ${leaseSeconds}`)
  }
  const name = flags.name
  if (name !== undefined && (name.trim() === '' || name.length > 100 || /[@\s]/.test(name))) {
    throw new UsageError('--name must be 1 to 100 characters without spaces or "@" (the worker list shows it as NAME@host:pid)')
  }
  const backend = backendFlag(flags)

  const core = await openCore(paths, backend, { workerName: name, leaseMs: leaseSeconds * 1000 })
  const log = (line: string): void => void process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`)
  core.on('runs.epoch', ({ runId, record }) =>
    log(
      `run ${runId}: epoch ${record.epoch} · val acc ${(record.valAccuracy * 100).toFixed(2)} % · ${(record.durationMs / 1000).toFixed(1)} s`
    )
  )
  let worker
  try {
    worker = await core.startWorker({ name, concurrency, log })
  } catch (error) {
    await core.shutdown({ cancelRunning: true })
    throw error
  }
  log(
    `worker ${worker.name} on ${shown}: ${concurrency} run${concurrency === 1 ? '' : 's'} at once, lease ${leaseSeconds} s; Ctrl-C hands its runs back and stops`
  )
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  log(`stopping${worker.active().length ? `: handing back run ${worker.active().join(', ')}` : ''}`)
  await worker.stop()
  await core.shutdown({ cancelRunning: true, keepQueued: true })
  log('stopped')
  return 0
}
