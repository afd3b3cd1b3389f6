/**
 * The Experiments list over a large team store: `RUNS` finished runs of `EPOCHS` epochs each (one in
 * `RESULTS_EVERY` with test results and all 10,000 predictions) seeded by multi-row INSERTs, then
 * `store.runs.list()` and the API's `runs.list` through a core, timed after a warm-up.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { defaultHparams } from '@shared/hparams'
import type { EpochRecord, TestMetrics } from '@shared/run'
import { createCore, forkTrainer } from '@main/core/core'
import { openRunStore } from '@main/core/store'
import { insertRunsInBulk, postgresExec, type BulkRun } from '../test/helpers/bulk-runs'
import packageJson from '../package.json' with { type: 'json' }
import { median } from './round-stats'

export const LIST_RUNS = 10_000
export const LIST_EPOCHS = 20
export const RESULTS_EVERY = 100
/** The Experiments view should have its rows within this. */
export const LIST_TARGET_MS = 500

const CLASSES = 10
const TEST_IMAGES = 10_000

function history(run: number): EpochRecord[] {
  return Array.from({ length: LIST_EPOCHS }, (_, i) => {
    const progress = 1 - Math.exp(-0.3 * (i + 1))
    return {
      epoch: i + 1,
      loss: 2.3 * (1 - progress) + 0.25,
      accuracy: 0.1 + 0.78 * progress,
      valLoss: 2.3 * (1 - progress) + 0.3,
      valAccuracy: 0.1 + 0.76 * progress + (run % 7) / 1000,
      learningRate: 0.001,
      durationMs: 800 + ((run * 31 + i) % 400)
    }
  })
}

function results(run: number): NonNullable<BulkRun['results']> {
  const predicted = new Uint8Array(TEST_IMAGES)
  const probabilities = new Float32Array(TEST_IMAGES * CLASSES).fill(0.02)
  const confusion = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0))
  for (let i = 0; i < TEST_IMAGES; i++) {
    const label = i % CLASSES
    const p = (i * 7 + run) % 9 === 0 ? (label + 1) % CLASSES : label
    predicted[i] = p
    probabilities[i * CLASSES + p] = 0.82
    confusion[label]![p]! += 1
  }
  const correct = confusion.reduce((n, row, c) => n + row[c]!, 0)
  const metrics: TestMetrics = {
    testLoss: 0.35,
    testAccuracy: correct / TEST_IMAGES,
    perClass: confusion.map(() => ({ precision: 0.88, recall: 0.88, f1: 0.88, support: TEST_IMAGES / CLASSES })),
    confusion
  }
  return { metrics, predictions: { predicted, probabilities } }
}

/** Seeds the store at `url` (a fresh database); returns how long the seeding took. */
export async function seedLargeStore(url: string): Promise<number> {
  const t0 = performance.now()
  // Migrates the empty database to the current schema.
  await (await openRunStore(url)).close()
  const start = Date.parse('2025-01-01T00:00:00Z')
  const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString()
  const runs: BulkRun[] = Array.from({ length: LIST_RUNS }, (_, i) => ({
    name: `bench run ${i + 1}`,
    hparams: { ...defaultHparams('dense'), epochs: LIST_EPOCHS, seed: i, learningRate: 0.0005 + (i % 20) / 10_000 },
    status: 'completed',
    createdAt: at(i * 30),
    startedAt: at(i * 30 + 1),
    finishedAt: at(i * 30 + 20),
    history: history(i),
    backendInfo: { name: 'wasm', threads: 2, versions: { tfjs: '4.22.0' } },
    datasetChecksum: 'bench',
    appVersion: packageJson.version,
    results: i % RESULTS_EVERY === 0 ? results(i) : undefined
  }))
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('BEGIN')
    await insertRunsInBulk(postgresExec(client), runs)
    await client.query('COMMIT')
    // A store in use has statistics (autovacuum gathers them); a just-seeded one would be planned blind.
    await client.query('ANALYZE')
  } finally {
    await client.end()
  }
  return performance.now() - t0
}

/** Median and range of `repeats` timed calls after one untimed warm-up. */
export interface ListTiming {
  rows: number
  medianMs: number
  minMs: number
  maxMs: number
}

async function timeCalls(call: () => Promise<number>, repeats: number): Promise<ListTiming> {
  const rows = await call()
  const times: number[] = []
  for (let i = 0; i < repeats; i++) {
    const t = performance.now()
    await call()
    times.push(performance.now() - t)
  }
  return { rows, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) }
}

/** `store.runs.list()` and the API's `runs.list` through a core, on the seeded store at `url`. */
export async function timeLists(url: string, dataDir: string, repeats: number): Promise<{ store: ListTiming; api: ListTiming }> {
  const store = await openRunStore(url)
  let storeTiming: ListTiming
  try {
    storeTiming = await timeCalls(async () => (await store.runs.list()).length, repeats)
  } finally {
    await store.close()
  }
  const work = mkdtempSync(join(tmpdir(), 'atelier-team-bench-'))
  const core = await createCore({
    dataDir,
    dbPath: url,
    appVersion: packageJson.version,
    dataDirLocked: true,
    settingsPath: null,
    modelsDir: join(work, 'models'),
    datasetsDir: join(work, 'datasets'),
    spawnTrainer: forkTrainer,
    dialogs: { saveFile: async () => null, openFolder: async () => null }
  })
  try {
    const api = await timeCalls(async () => {
      const result = await core.route('runs.list', {})
      if (!result.ok) throw new Error(`runs.list failed: ${JSON.stringify(result)}`)
      return (result.data as unknown[]).length
    }, repeats)
    return { store: storeTiming, api }
  } finally {
    await core.shutdown({ cancelRunning: false })
    rmSync(work, { recursive: true, force: true })
  }
}
