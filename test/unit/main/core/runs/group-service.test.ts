/** Repeats and sweeps through the API router, on a real core whose runs are cancelled before they train. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { GroupDetail, GroupSummary, SweepDetail, SweepSummary } from '@shared/group'
import { defaultHparams } from '@shared/hparams'
import { builtinRef } from '@shared/dataset'
import type { RunSummary } from '@shared/run'
import type { SweepSpec } from '@shared/sweep'
import { createCore, type TrainerHost } from '@main/core/core'
import { DATASET_FILES, idxFiles } from '@main/core/dataset/files'

const dir = mkdtempSync(join(tmpdir(), 'atelier-groups-'))
// Runs start only on a dataset that is there: four files that pass the quick status check (sizes, gzip
// trailers). Nothing trains on them: the trainer here exits at once, and queued runs are cancelled at shutdown.
mkdirSync(join(dir, 'data'))
for (const f of DATASET_FILES) writeFileSync(join(dir, 'data', f.name), gzipSync(Buffer.alloc(f.rawBytes)))
// MNIST the same way, where the core keeps the other built-ins (datasets/ beside the database).
mkdirSync(join(dir, 'datasets', 'mnist'), { recursive: true })
for (const f of idxFiles('mnist')) writeFileSync(join(dir, 'datasets', 'mnist', f.name), gzipSync(Buffer.alloc(f.rawBytes)))
const idleTrainer = (): TrainerHost => {
  let exit: ((e: { code: number | null; reason: string }) => void) | null = null
  return {
    pid: undefined,
    // Ends at once, as a trainer that cannot read the files does: the queue moves on.
    send: () => queueMicrotask(() => exit?.({ code: 1, reason: 'exited with code 1' })),
    onMessage: () => undefined,
    onExit: (listener) => (exit = listener),
    kill: () => undefined
  }
}
const core = await createCore({
  dataDir: join(dir, 'data'),
  dbPath: join(dir, 'atelier.db'),
  appVersion: 'test',
  settingsPath: null,
  spawnTrainer: idleTrainer,
  dialogs: { saveFile: async () => null, openFolder: async () => null },
  cores: 1
})
const updates: RunSummary[] = []
core.on('runs.updated', (r) => updates.push(r))
afterAll(async () => {
  await core.shutdown({ cancelRunning: true })
  rmSync(dir, { recursive: true, force: true })
})

async function ok<T>(channel: string, request: unknown): Promise<T> {
  const result = await core.route(channel, request)
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.data as T
}

describe('groups and sweeps', () => {
  it('queues N seeds of the same hyperparameters as one group: base seed, base + 1, …', async () => {
    const hparams = { ...defaultHparams('dense'), seed: 100, epochs: 1, trainSubset: 1000 }
    const group = await ok<GroupSummary>('runs.startRepeats', { hparams, repeats: 3, name: 'dense trio' })
    expect(group).toMatchObject({ name: 'dense trio × 3 seeds', preset: 'dense', seeds: [100, 101, 102], testAccuracy: null })
    const detail = await ok<GroupDetail>('groups.get', { id: group.id })
    expect(detail.members.map((m) => m.seed)).toEqual([100, 101, 102])
    // Members differ in nothing but the seed.
    detail.members.forEach((m) => expect({ ...m.hparams, seed: 0 }).toEqual({ ...hparams, seed: 0 }))
    expect(detail.members.map((m) => m.groupId)).toEqual([group.id, group.id, group.id])
    // The list rows announced to the window already carry the group.
    expect(updates.filter((u) => group.memberIds.includes(u.id)).every((u) => u.groupId === group.id)).toBe(true)
    expect((await ok<GroupSummary[]>('groups.list', {})).map((g) => g.id)).toContain(group.id)
  })

  it('refuses fewer than 2 or more than 20 repeats, and seeds past the largest, queueing nothing', async () => {
    const before = (await ok<RunSummary[]>('runs.list', {})).length
    for (const repeats of [1, 21]) {
      const r = await core.route('runs.startRepeats', { hparams: defaultHparams('dense'), repeats })
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', fieldErrors: [{ path: 'repeats' }] } })
    }
    const late = await core.route('runs.startRepeats', { hparams: { ...defaultHparams('dense'), seed: 2 ** 31 - 2 }, repeats: 3 })
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(((await core.route('groups.getMany', { ids: [999] })) as { ok: boolean }).ok).toBe(false)
    expect((await ok<RunSummary[]>('runs.list', {})).length).toBe(before)
  })

  it('queues a 2 × 2 grid sweep with 2 seeds as 8 runs in 4 groups, recorded as one sweep', async () => {
    const spec: SweepSpec = {
      preset: 'dense',
      dataset: 'fashion-mnist',
      mode: 'grid',
      learningRate: { min: 0.001, max: 0.01, count: 2 },
      batchSizes: [32, 64],
      epochs: [1],
      validationSplits: [0.1],
      seeds: { base: 5, count: 2 },
      trainSubset: 1000
    }
    const sweep = await ok<SweepSummary>('sweeps.start', { spec })
    expect(sweep).toMatchObject({ runCount: 8, completedCount: 0, best: null, spec })
    const detail = await ok<SweepDetail>('sweeps.get', { id: sweep.id })
    expect(detail.runs.map((r) => [r.learningRate, r.batchSize, r.seed])).toEqual([
      [0.001, 32, 5],
      [0.001, 32, 6],
      [0.001, 64, 5],
      [0.001, 64, 6],
      [0.01, 32, 5],
      [0.01, 32, 6],
      [0.01, 64, 5],
      [0.01, 64, 6]
    ])
    const groups = new Set(detail.runs.map((r) => r.groupId))
    expect(groups.size).toBe(4)
    expect((await ok<SweepSummary[]>('sweeps.list', {})).map((s) => s.id)).toEqual([sweep.id])
    const tooBig = await core.route('sweeps.start', {
      spec: { ...spec, seeds: { base: 1, count: 20 }, batchSizes: [16, 32, 64, 128, 256, 512] }
    })
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect((tooBig as { error: { message: string } }).error.message).toMatch(/240 runs; at most 200/)
  })

  it('queues a sweep over optimizers and models, each configuration a group, after checking every architecture against the dataset', async () => {
    const tiny = { name: 'tiny', layers: [{ kind: 'flatten' }, { kind: 'dense', units: 8 }, { kind: 'output' }] }
    const spec = {
      preset: 'dense',
      dataset: 'fashion-mnist',
      mode: 'grid',
      learningRate: { min: 0.001, max: 0.001, count: 1 },
      batchSizes: [32],
      epochs: [1],
      validationSplits: [0.1],
      seeds: { base: 3, count: 2 },
      trainSubset: 1000,
      optimizers: ['adam', 'sgd'],
      presets: ['dense'],
      architectures: [tiny]
    }
    // Two 15 × 15 convolutions leave nothing of a 28 × 28 image: refused as train --arch refuses it, nothing recorded.
    const conv = { kind: 'conv2d', filters: 4, kernel: 15 }
    const before = (await ok<RunSummary[]>('runs.list', {})).length
    const sweepsBefore = (await ok<SweepSummary[]>('sweeps.list', {})).length
    const misfit = await core.route('sweeps.start', {
      spec: { ...spec, architectures: [tiny, { name: 'wide', layers: [conv, conv, { kind: 'flatten' }, { kind: 'output' }] }] }
    })
    expect(misfit).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/^Architecture wide: .*Nothing was started/) }
    })
    expect((await ok<RunSummary[]>('runs.list', {})).length).toBe(before)
    expect((await ok<SweepSummary[]>('sweeps.list', {})).length).toBe(sweepsBefore)

    const sweep = await ok<SweepSummary>('sweeps.start', { spec })
    expect(sweep.name).toBe('2 models grid sweep · 8 runs')
    const detail = await ok<SweepDetail>('sweeps.get', { id: sweep.id })
    expect(detail.runs.map((r) => [r.optimizer, r.model, r.seed])).toEqual([
      ['adam', 'dense', 3],
      ['adam', 'dense', 4],
      ['adam', 'custom: tiny', 3],
      ['adam', 'custom: tiny', 4],
      ['sgd', 'dense', 3],
      ['sgd', 'dense', 4],
      ['sgd', 'custom: tiny', 3],
      ['sgd', 'custom: tiny', 4]
    ])
    expect(new Set(detail.runs.map((r) => r.groupId)).size).toBe(4)
    const runs = await core.runs.getMany(detail.runs.map((r) => r.runId))
    expect(runs[2]!.hparams).toMatchObject({ preset: 'custom', architecture: { name: 'tiny' }, recipe: { optimizer: 'adam' } })
    expect(runs[4]!.name).toBe('Dense · lr 0.001 · batch 32 · 1 ep · val 10% · sgd · seed 3')
    const groups = await ok<GroupDetail[]>('groups.getMany', { ids: [runs[2]!.groupId!] })
    expect(groups[0]!.preset).toBe('custom')
  })

  it('forgets a sweep and its groups when their runs are deleted', async () => {
    const [sweep] = await ok<SweepSummary[]>('sweeps.list', {})
    const detail = await ok<SweepDetail>('sweeps.get', { id: sweep!.id })
    const ids = detail.runs.map((r) => r.runId)
    for (const id of ids) await core.route('runs.cancel', { id })
    await core.runs.queue.idle()
    await ok('runs.delete', { ids })
    expect(await core.route('sweeps.get', { id: sweep!.id })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect((await ok<GroupSummary[]>('groups.list', {})).some((g) => g.sweepId === sweep!.id)).toBe(false)
  })

  it('repeats a run with N seeds: N − 1 new runs on the next seeds, grouped with the original, which is not trained again', async () => {
    const hparams = { ...defaultHparams('dense'), seed: 7, epochs: 1, trainSubset: 1000 }
    const original = await core.store.runs.insert({ name: 'my run', hparams, appVersion: 'test' })
    const before = (await ok<RunSummary[]>('runs.list', {})).length
    const group = await ok<GroupSummary>('runs.repeat', { id: original.id, repeats: 3 })
    expect(group).toMatchObject({ name: 'my run × 3 seeds', seeds: [7, 8, 9] })
    expect(group.memberIds[0]).toBe(original.id)
    expect((await ok<RunSummary[]>('runs.list', {})).length).toBe(before + 2)
    // Nothing new was queued for the original's own seed.
    expect(core.runs.queue.queued()).not.toContain(original.id)
    expect(updates.find((u) => u.id === original.id && u.groupId === group.id)).toBeTruthy()
    const detail = await ok<GroupDetail>('groups.get', { id: group.id })
    detail.members.forEach((m) => expect({ ...m.hparams, seed: 0 }).toEqual({ ...hparams, seed: 0 }))

    const again = await core.route('runs.repeat', { id: original.id, repeats: 2 })
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('already one of the seeds of "my run × 3 seeds"') }
    })
    expect(await core.route('runs.repeat', { id: 9999, repeats: 2 })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect((await ok<RunSummary[]>('runs.list', {})).length).toBe(before + 2)
  })

  it("trains every run of a sweep on the spec's one dataset, and refuses a sweep over datasets", async () => {
    const spec = {
      preset: 'dense',
      dataset: 'mnist',
      mode: 'grid',
      learningRate: { min: 0.001, max: 0.001, count: 1 },
      batchSizes: [32, 64],
      epochs: [1],
      validationSplits: [0.1],
      seeds: { base: 1, count: 2 },
      trainSubset: 1000
    }
    const sweep = await ok<SweepSummary>('sweeps.start', { spec })
    expect(sweep.name).toBe('Dense grid sweep on MNIST · 4 runs')
    const detail = await ok<SweepDetail>('sweeps.get', { id: sweep.id })
    const runs = await core.runs.getMany(detail.runs.map((r) => r.runId))
    expect(runs.map((r) => r.hparams.dataset)).toEqual(['mnist', 'mnist', 'mnist', 'mnist'])
    const groups = await ok<GroupDetail[]>('groups.getMany', { ids: [...new Set(detail.runs.map((r) => r.groupId!))] })
    expect(groups.flatMap((g) => g.members.map((m) => m.hparams.dataset))).toEqual(['mnist', 'mnist', 'mnist', 'mnist'])
    const before = (await ok<SweepSummary[]>('sweeps.list', {})).length
    const over = await core.route('sweeps.start', { spec: { ...spec, dataset: ['mnist', 'kmnist'] } })
    expect(over).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/a sweep trains on one dataset/) }
    })
    expect((await ok<SweepSummary[]>('sweeps.list', {})).length).toBe(before)
  })

  it('refuses to repeat a run whose dataset files changed since (new seeds would be tested on other images), and repeats it on the same files', async () => {
    const record = (contentHash: string) => ({
      ...builtinRef('mnist')!,
      contentHash,
      trainCount: 60_000,
      testCount: 10_000,
      location: '/nowhere',
      report: null,
      createdAt: '2026-01-01T00:00:00.000Z'
    })
    const hparams = { ...defaultHparams('dense'), dataset: 'mnist', seed: 40, epochs: 1 }
    const run = await core.store.runs.insert({ name: 'digits', hparams, appVersion: 'test' })
    await core.store.runs.markRunning(run.id, {
      backendInfo: { name: 'wasm', threads: 1, versions: { tfjs: 'test' } },
      datasetChecksum: 'a'.repeat(64),
      startedAt: new Date().toISOString()
    })
    await core.store.runs.finish(run.id, { status: 'cancelled', finishedAt: new Date().toISOString() })
    await core.store.datasets.upsert(record('b'.repeat(64)))
    const before = (await ok<RunSummary[]>('runs.list', {})).length
    const refused = await core.route('runs.repeat', { id: run.id, repeats: 2 })
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringMatching(/^Run \d+ trained on other files of MNIST than are there now .*Nothing was queued/)
      }
    })
    expect((await ok<RunSummary[]>('runs.list', {})).length).toBe(before)
    await core.store.datasets.upsert(record('a'.repeat(64)))
    expect((await ok<GroupSummary>('runs.repeat', { id: run.id, repeats: 2 })).memberIds[0]).toBe(run.id)
  })
})
