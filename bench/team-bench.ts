/**
 * `npm run bench:team`: the team store at scale, on PostgreSQL.
 *
 *   1. Throughput: 10 short queued runs trained by N = 1 and N = 2 `worker` processes (each with
 *      its own user-data folder, as on its own machine), a fresh database per round, rounds
 *      interleaved (N=1, N=2, N=1, …); medians of wall time and runs/min, and the N=2/N=1 ratio.
 *   2. Queue latency: one idle worker, runs queued one at a time; startedAt − createdAt, split
 *      into the pickup (pg-boss polling, until the worker says `taken`) and the trainer's start.
 *   3. The Experiments list over 10,000 runs × 20 epochs: store.runs.list() and the API's
 *      runs.list through a core, median of 5 after a warm-up, against a 500 ms target.
 *
 *   npm run bench:team [-- --db postgres://…] [--rounds R] [--runs N] [--latency-runs N] [--data DIR] [--json]
 *
 * Without --db (or ATELIER_BENCH_DB) it starts a throwaway cluster (scripts/postgres-cluster.ts)
 * and removes it afterwards. With --db, the URL's role must be allowed to create databases: every
 * round gets a fresh `atelier_bench_*` database, dropped after it.
 */
import { randomBytes } from 'node:crypto'
import { availableParallelism, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { realDataDir } from '../test/helpers/real-data'
import { findPostgresBin, startCluster, type Cluster } from '../scripts/postgres-cluster'
import { median } from './round-stats'
import { BENCH_RUN, latencyRound, throughputRound, type LatencySample, type ThroughputRound } from './team-workers'
import { LIST_EPOCHS, LIST_RUNS, LIST_TARGET_MS, RESULTS_EVERY, seedLargeStore, timeLists } from './team-list'

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    runs: { type: 'string', default: '10' },
    'latency-runs': { type: 'string', default: '10' },
    data: { type: 'string' },
    json: { type: 'boolean', default: false }
  }
})
const rounds = Number(args.rounds)
const runs = Number(args.runs)
const latencyRuns = Number(args['latency-runs'])
const log = (line: string): void => void process.stderr.write(`${line}\n`)
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

/** A database of its own on the server at `adminUrl`, and how to drop it. */
async function freshDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `atelier_bench_${randomBytes(5).toString('hex')}`
  const admin = async (text: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    try {
      await client.query(text)
    } finally {
      await client.end()
    }
  }
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

async function withDatabase<T>(adminUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const db = await freshDatabase(adminUrl)
  try {
    return await fn(db.url)
  } finally {
    await db.drop()
  }
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

async function main(): Promise<number> {
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(latencyRuns) || latencyRuns < 1) {
    log('--rounds, --runs and --latency-runs must be positive whole numbers')
    return 2
  }
  const dataDir = args.data ?? realDataDir().dir
  if (!dataDir) {
    log('Fashion-MNIST not found: pass --data DIR or set ATELIER_DATA_DIR')
    return 2
  }
  let adminUrl = args.db ?? process.env.ATELIER_BENCH_DB
  let cluster: Cluster | null = null
  if (!adminUrl) {
    const bin = findPostgresBin()
    if (!bin) {
      log('No PostgreSQL: install its server programs (initdb, pg_ctl) or pass --db postgres://… (a role that may create databases)')
      return 2
    }
    const started = await startCluster(bin)
    cluster = started
    adminUrl = started.url
    // Interrupted, the bench still removes its server (worker processes end with their parent's process group).
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        started.stop()
        process.exit(130)
      })
    }
  }
  const loads: string[] = [`start ${load()}`]
  try {
    log(`cores ${availableParallelism()}, load ${load()}; each round: ${runs} run${runs === 1 ? '' : 's'} of ${BENCH_RUN}`)
    const throughput: ThroughputRound[] = []
    for (let r = 0; r < rounds; r++) {
      for (const workers of [1, 2]) {
        const round = await withDatabase(adminUrl, (url) => throughputRound({ url, dataDir }, workers, runs))
        throughput.push(round)
        log(
          `round ${r + 1}, ${workers} worker${workers > 1 ? 's' : ''}: ${fmt(round.wallMs)}, ${round.runsPerMinute.toFixed(1)} runs/min` +
            `${round.notCompleted ? `, ${round.notCompleted} not completed` : ''} (load ${load()})`
        )
      }
    }
    loads.push(`after throughput ${load()}`)
    const latency: LatencySample[] = await withDatabase(adminUrl, (url) => latencyRound({ url, dataDir }, latencyRuns))
    log(`latency round done (load ${load()})`)
    loads.push(`after latency ${load()}`)
    const list = await withDatabase(adminUrl, async (url) => {
      log(`seeding ${LIST_RUNS.toLocaleString('en')} runs × ${LIST_EPOCHS} epochs…`)
      const seedMs = await seedLargeStore(url)
      log(`seeded in ${fmt(seedMs)} (load ${load()})`)
      return { seedMs, ...(await timeLists(url, dataDir, 5)) }
    })
    loads.push(`end ${load()}`)
    report({ throughput, latency, list, loads })
    return 0
  } finally {
    cluster?.stop()
  }
}

interface Report {
  throughput: ThroughputRound[]
  latency: LatencySample[]
  list: Awaited<ReturnType<typeof timeLists>> & { seedMs: number }
  loads: string[]
}

function report({ throughput, latency, list, loads }: Report): void {
  const byWorkers = (n: number) => throughput.filter((r) => r.workers === n)
  const med = (n: number) => ({
    wallMs: median(byWorkers(n).map((r) => r.wallMs)),
    runsPerMinute: median(byWorkers(n).map((r) => r.runsPerMinute))
  })
  const one = med(1)
  const two = med(2)
  const ratio = two.runsPerMinute / one.runsPerMinute
  const lat = (key: keyof Omit<LatencySample, 'runId'>) => ({
    median: median(latency.map((s) => s[key])),
    max: Math.max(...latency.map((s) => s[key]))
  })
  const pass = list.store.medianMs < LIST_TARGET_MS && list.api.medianMs < LIST_TARGET_MS
  if (args.json) {
    process.stdout.write(
      JSON.stringify(
        { cores: availableParallelism(), run: BENCH_RUN, throughput, ratio, latency, list, target: LIST_TARGET_MS, pass, loads },
        null,
        2
      ) + '\n'
    )
    return
  }
  const cores = availableParallelism()
  const out = [
    `Throughput: ${runs} queued runs (${BENCH_RUN}), medians of ${throughput.length / 2} interleaved rounds`,
    `  1 worker : ${fmt(one.wallMs)} wall, ${one.runsPerMinute.toFixed(1)} runs/min  (rounds: ${byWorkers(1)
      .map((r) => fmt(r.wallMs))
      .join(', ')})`,
    `  2 workers: ${fmt(two.wallMs)} wall, ${two.runsPerMinute.toFixed(1)} runs/min  (rounds: ${byWorkers(2)
      .map((r) => fmt(r.wallMs))
      .join(', ')})`,
    `  2/1 ratio: ${ratio.toFixed(2)}  (both workers on this ${cores}-core machine: each trainer takes ${cores} threads, so 2 workers oversubscribe)`,
    `Queue latency, one idle worker, ${latency.length} run${latency.length === 1 ? '' : 's'} queued one at a time (startedAt − createdAt):`,
    `  total  median ${fmt(lat('totalMs').median)}, max ${fmt(lat('totalMs').max)}`,
    `  pickup (queued → worker says "taken": pg-boss polls every 2 s) median ${fmt(lat('pickupMs').median)}, max ${fmt(lat('pickupMs').max)}`,
    `  start  ("taken" → trainer started with its data loaded) median ${fmt(lat('startMs').median)}, max ${fmt(lat('startMs').max)}`,
    `Experiments list, ${LIST_RUNS.toLocaleString('en')} runs × ${LIST_EPOCHS} epochs (1 in ${RESULTS_EVERY} with 10,000-image results; seeded in ${fmt(list.seedMs)}):`,
    `  store.runs.list()      median ${list.store.medianMs.toFixed(0)} ms (${list.store.minMs.toFixed(0)}–${list.store.maxMs.toFixed(0)}), ${list.store.rows} rows`,
    `  API runs.list (core)   median ${list.api.medianMs.toFixed(0)} ms (${list.api.minMs.toFixed(0)}–${list.api.maxMs.toFixed(0)}), ${list.api.rows} rows`,
    `  target < ${LIST_TARGET_MS} ms: ${pass ? 'PASS' : 'FAIL'}`,
    `Load average (1, 5, 15 min): ${loads.join('; ')}`
  ]
  process.stdout.write(out.join('\n') + '\n')
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  }
)
