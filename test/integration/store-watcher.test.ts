/** Runs another process writes into the same database reach this core's listeners as events. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventMap } from '@shared/api'
import { defaultHparams } from '@shared/hparams'
import { createCore, type Core } from '@main/core/core'
import { openRunStore, type RunStore } from '@main/core/store'
import { watchStore } from '@main/core/runs/store-watcher'

const BACKEND = { name: 'wasm', threads: 1, versions: {} }
let dir: string
let dbPath: string
let core: Core
let other: RunStore
let updates: EventMap['runs.updated'][]
let deletions: number[][]

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-watch-'))
  dbPath = join(dir, 'atelier.db')
  core = await createCore({
    dataDir: dir,
    dbPath,
    appVersion: 'test',
    dataDirLocked: true,
    settingsPath: null,
    spawnTrainer: () => {
      throw new Error('no trainer in this test')
    },
    dialogs: { saveFile: async () => null, openFolder: async () => null },
    watchIntervalMs: 50
  })
  // The "CLI": a second connection on the same file, as `npm run cli -- train --db <same db>` opens.
  other = await openRunStore(dbPath)
  updates = []
  deletions = []
  core.on('runs.updated', (run) => updates.push(run))
  core.on('runs.deleted', ({ ids }) => deletions.push(ids))
})

afterEach(async () => {
  await other.close()
  await core.shutdown({ cancelRunning: true })
  rmSync(dir, { recursive: true, force: true })
})

const hparams = { ...defaultHparams('dense'), epochs: 2 }
const latest = (id: number) => updates.filter((u) => u.id === id).at(-1)

describe('watching the store for other processes', () => {
  it('reports a run another connection queues, trains and deletes, with its owner and epochs', async () => {
    const run = await other.runs.insert({ name: 'from the CLI', hparams, appVersion: 'cli' })
    await vi.waitFor(() => expect(latest(run.id)?.status).toBe('queued'), { timeout: 3000 })

    // The CLI's process (here: this test's parent, alive) starts training and records an epoch.
    await other.runs.markRunning(run.id, {
      backendInfo: BACKEND,
      datasetChecksum: null,
      startedAt: new Date().toISOString(),
      ownerPid: process.ppid
    })
    await other.epochs.append(run.id, {
      epoch: 1,
      loss: 0.5,
      accuracy: 0.8,
      valLoss: 0.6,
      valAccuracy: 0.78,
      learningRate: 0.001,
      durationMs: 1200
    })
    await vi.waitFor(
      () => expect(latest(run.id)).toMatchObject({ status: 'running', ownedElsewhere: true, epochsDone: 1, trainingMs: 1200 }),
      {
        timeout: 3000
      }
    )
    expect((await core.runs.list()).map((r) => r.id)).toContain(run.id)

    await other.runs.delete([run.id])
    await vi.waitFor(() => expect(deletions.flat()).toContain(run.id), { timeout: 3000 })
  })

  it("does not report this process's own changes a second time", async () => {
    const own = await core.runs.update((await core.store.runs.insert({ name: 'own', hparams, appVersion: 'test' })).id, { notes: 'x' })
    const before = updates.filter((u) => u.id === own.id).length
    await other.runs.insert({ name: 'theirs', hparams, appVersion: 'cli' })
    await vi.waitFor(() => expect(updates.some((u) => u.name === 'theirs')).toBe(true), { timeout: 3000 })
    expect(updates.filter((u) => u.id === own.id)).toHaveLength(before)
  })

  it('marks a run interrupted when the other process training it is gone', async () => {
    const seen: EventMap['runs.updated'][] = []
    const watcher = await watchStore({
      store: core.store,
      emit: (e, p) => e === 'runs.updated' && seen.push(p as EventMap['runs.updated']),
      intervalMs: 0,
      isAlive: () => false
    })
    const run = await other.runs.insert({ name: 'killed CLI', hparams, appVersion: 'cli' })
    await other.runs.markRunning(run.id, {
      backendInfo: BACKEND,
      datasetChecksum: null,
      startedAt: new Date().toISOString(),
      ownerPid: 999_999
    })
    await watcher.check()
    await watcher.stop()
    expect(seen.find((r) => r.id === run.id)?.status).toBe('interrupted')
  })
})
