/**
 * Worker rounds of `npm run bench:team`: queued runs in a fresh team-store database, trained by
 * `worker` CLI processes (each with its own user-data folder, as on its own machine), timed from the
 * outside. A throughput round queues every run first and then starts the workers; a latency round
 * starts one worker, lets it go idle, and queues the runs one at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { defaultHparams, type Hparams } from '@shared/hparams'
import { createCore, forkTrainer, type Core } from '@main/core/core'
import { startCli, type CliProcess } from '../test/helpers/run-cli'
import packageJson from '../package.json' with { type: 'json' }

/** The short run every round trains (also printed with the results). */
export const BENCH_RUN = 'dense, 2 epochs over a 2,000-image training subset, default hyperparameters, then its test evaluation'
export const benchHparams = (): Hparams => ({ ...defaultHparams('dense'), epochs: 2, trainSubset: 2000 })

/** Longest a round may take before it is abandoned (a hung worker must not hang the bench). */
const ROUND_TIMEOUT_MS = 15 * 60_000

/** What a round needs: a database of its own and the Fashion-MNIST folder. */
export interface RoundSetup {
  url: string
  dataDir: string
}

/** A worker process and what the bench saw it print, with the bench's clock. */
interface BenchWorker {
  name: string
  cli: CliProcess
  /** Date.now() when the worker printed `run N: taken`, by run id. */
  takenAt: Map<number, number>
  /** performance.now() when `run N: <final status>` was printed, by run id. */
  finishedAt: Map<number, { at: number; status: string }>
  ready: Promise<void>
}

function startWorker(name: string, setup: RoundSetup, work: string, onLine: () => void): BenchWorker {
  const cli = startCli(['worker', '--db', setup.url, '--data', setup.dataDir, '--name', name], {
    ATELIER_USER_DATA_DIR: join(work, name),
    ATELIER_DATASETS_DIR: join(work, name, 'datasets')
  })
  const worker: BenchWorker = { name, cli, takenAt: new Map(), finishedAt: new Map(), ready: Promise.resolve() }
  let markReady: () => void = () => undefined
  worker.ready = new Promise((resolve) => (markReady = resolve))
  let pending = ''
  cli.child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString()
    const lines = pending.split('\n')
    pending = lines.pop()!
    for (const line of lines) {
      if (line.includes(` worker ${name}@`) || line.includes(` worker ${name} on `)) markReady()
      const taken = / run (\d+): taken/.exec(line)
      if (taken) worker.takenAt.set(Number(taken[1]), Date.now())
      const done = / run (\d+): (completed|failed|cancelled)/.exec(line)
      if (done) worker.finishedAt.set(Number(done[1]), { at: performance.now(), status: done[2]! })
    }
    onLine()
  })
  return worker
}

/** SIGINT (hand runs back, exit 0 with `stopped`), as a person stops a worker; SIGKILL after a minute. */
async function stopWorker(worker: BenchWorker): Promise<void> {
  worker.cli.child.kill('SIGINT')
  const timer = setTimeout(() => worker.cli.child.kill('SIGKILL'), 60_000)
  const result = await worker.cli.result
  clearTimeout(timer)
  if (result.code !== 0 || !result.stdout.includes('stopped')) {
    process.stderr.write(`worker ${worker.name} exited with ${result.code}:\n${result.stderr.slice(-2000)}\n`)
  }
}

/** The bench's own core on the round's database: it queues runs and reads their timestamps, as the app would. */
async function submitterCore(setup: RoundSetup, work: string): Promise<Core> {
  return createCore({
    dataDir: setup.dataDir,
    dbPath: setup.url,
    appVersion: packageJson.version,
    dataDirLocked: true,
    settingsPath: null,
    modelsDir: join(work, 'submitter', 'models'),
    datasetsDir: join(work, 'submitter', 'datasets'),
    spawnTrainer: forkTrainer,
    dialogs: { saveFile: async () => null, openFolder: async () => null }
  })
}

/** Resolves when `check` holds, re-checked on every worker line; rejects after the round's timeout. */
function until(check: () => boolean, subscribe: (wake: () => void) => void, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out after ${ROUND_TIMEOUT_MS / 60_000} min waiting for ${what}`)),
      ROUND_TIMEOUT_MS
    )
    const wake = (): void => {
      if (check()) {
        clearTimeout(timer)
        resolve()
      }
    }
    subscribe(wake)
    wake()
  })
}

/** One throughput round's figures. */
export interface ThroughputRound {
  workers: number
  runs: number
  /** From the first worker's start until the last run completed. */
  wallMs: number
  runsPerMinute: number
  /** Runs that did not complete (failed or cancelled). */
  notCompleted: number
}

/** Queues `runs` runs, then starts `workers` workers and times them until every run has ended. */
export async function throughputRound(setup: RoundSetup, workers: number, runs: number): Promise<ThroughputRound> {
  const work = mkdtempSync(join(tmpdir(), 'atelier-team-bench-'))
  const core = await submitterCore(setup, work)
  const started: BenchWorker[] = []
  try {
    for (let i = 0; i < runs; i++) await core.runs.submit(benchHparams(), `bench ${i + 1}`)
    let wake: () => void = () => undefined
    const t0 = performance.now()
    for (let w = 0; w < workers; w++) started.push(startWorker(`bench-w${w + 1}`, setup, work, () => wake()))
    const ended = (): number => started.reduce((n, w) => n + w.finishedAt.size, 0)
    await until(
      () => ended() >= runs,
      (fn) => (wake = fn),
      `${runs} runs to end`
    )
    const last = Math.max(...started.flatMap((w) => [...w.finishedAt.values()].map((f) => f.at)))
    const wallMs = last - t0
    const notCompleted = started.flatMap((w) => [...w.finishedAt.values()]).filter((f) => f.status !== 'completed').length
    return { workers, runs, wallMs, runsPerMinute: runs / (wallMs / 60_000), notCompleted }
  } finally {
    await Promise.all(started.map(stopWorker))
    await core.shutdown({ cancelRunning: false })
    rmSync(work, { recursive: true, force: true })
  }
}

/** One run's way from the queue into training, in ms. */
export interface LatencySample {
  runId: number
  /** startedAt − createdAt: queued until the trainer had loaded its data and began. */
  totalMs: number
  /** Queued until the worker printed `taken` (pg-boss polling and the claim). */
  pickupMs: number
  /** `taken` until startedAt: reading the run, starting the trainer process, loading the data. */
  startMs: number
}

/**
 * One worker, idle and waiting, then `runs` runs queued one at a time, each after the previous has
 * ended. Gaps vary (3 s plus 0–2 s in 0.4 s steps) so enqueue moments fall all over the worker's
 * 2 s polling cycle instead of always at the same phase.
 */
export async function latencyRound(setup: RoundSetup, runs: number): Promise<LatencySample[]> {
  const work = mkdtempSync(join(tmpdir(), 'atelier-team-bench-'))
  const core = await submitterCore(setup, work)
  let wake: () => void = () => undefined
  const worker = startWorker('bench-idle', setup, work, () => wake())
  const samples: LatencySample[] = []
  try {
    await worker.ready
    for (let i = 0; i < runs; i++) {
      await new Promise((r) => setTimeout(r, 3000 + ((i * 400) % 2000)))
      const run = await core.runs.submit(benchHparams(), `latency ${i + 1}`)
      await until(
        () => worker.finishedAt.has(run.id),
        (fn) => (wake = fn),
        `run ${run.id} to end`
      )
      const detail = (await core.runs.get(run.id))!
      const created = Date.parse(detail.createdAt)
      const startedAt = Date.parse(detail.startedAt!)
      const taken = worker.takenAt.get(run.id)!
      samples.push({ runId: run.id, totalMs: startedAt - created, pickupMs: taken - created, startMs: startedAt - taken })
    }
    return samples
  } finally {
    await stopWorker(worker)
    await core.shutdown({ cancelRunning: false })
    rmSync(work, { recursive: true, force: true })
  }
}
