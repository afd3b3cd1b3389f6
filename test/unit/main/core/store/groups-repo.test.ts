import { afterEach, beforeEach, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { MIGRATIONS } from '@main/core/store/migrations'
import { sqliteHandleForTests } from '@main/core/store/sqlite-handle'
import type { RunStore } from '@main/core/store'
import { WASM_BACKEND, epochRecord, sampleMetrics, samplePredictions } from './fixtures/sample-run'
import { describeSqliteOnly, describeStore, openTestStore } from './fixtures/test-store'

let store: RunStore
beforeEach(async () => {
  store = await openTestStore()
})
afterEach(() => store.close())

/** Queues a dense run with `seed` and, when `testAccuracy` is given, finishes it with that accuracy. */
async function member(seed: number, testAccuracy?: number, bestVal?: number): Promise<number> {
  const run = await store.runs.insert({ name: `seed ${seed}`, hparams: { ...defaultHparams('dense'), epochs: 2, seed }, appVersion: 't' })
  if (testAccuracy === undefined) return run.id
  await store.runs.markRunning(run.id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: '2025-03-01T10:00:00.000Z' })
  await store.epochs.append(run.id, { ...epochRecord(1), valAccuracy: bestVal ?? 0.5 })
  await store.results.save(run.id, { ...sampleMetrics(), testAccuracy }, samplePredictions(10_000, seed))
  await store.runs.finish(run.id, { status: 'completed', finishedAt: '2025-03-01T11:00:00.000Z' })
  return run.id
}

describeStore('groups repository', () => {
  it('summarises members with mean and sample standard deviation (n − 1)', async () => {
    const ids = [await member(42, 0.8, 0.79), await member(43, 0.84, 0.83), await member(44, 0.82, 0.85), await member(45)]
    const g = await store.groups.insert({ name: 'dense × 4', preset: 'dense' })
    await store.groups.assign(g, ids)
    const group = (await store.groups.get(g))!
    expect(group).toMatchObject({
      name: 'dense × 4',
      memberIds: ids,
      seeds: [42, 43, 44, 45],
      statuses: ['completed', 'completed', 'completed', 'queued']
    })
    // 0.80, 0.84, 0.82: mean 0.82, sample variance ((-0.02)² + 0.02² + 0) / 2 = 0.0004, std 0.02.
    expect(group.testAccuracy!.n).toBe(3)
    expect(group.testAccuracy!.mean).toBeCloseTo(0.82, 12)
    expect(group.testAccuracy!.std).toBeCloseTo(0.02, 12)
    expect(group.testAccuracy).toMatchObject({ min: 0.8, max: 0.84 })
    expect(group.bestValAccuracy!.mean).toBeCloseTo((0.79 + 0.83 + 0.85) / 3, 12)
    expect(group.hparams.seed).toBe(42)
    expect((await store.runs.get(ids[0]!))!.groupId).toBe(g)
  })

  it('leaves std undefined for a single finished member', async () => {
    const g = await store.groups.insert({ name: 'one', preset: 'dense' })
    await store.groups.assign(g, [await member(1, 0.7), await member(2)])
    expect((await store.groups.get(g))!.testAccuracy).toEqual({ n: 1, mean: 0.7, std: null, min: 0.7, max: 0.7 })
  })

  it('forgets a group once its runs are deleted, keeping the runs of other groups', async () => {
    const a = await store.groups.insert({ name: 'a', preset: 'dense' })
    const b = await store.groups.insert({ name: 'b', preset: 'dense' })
    const inA = [await member(1), await member(2)]
    const inB = [await member(3), await member(4)]
    await store.groups.assign(a, inA)
    await store.groups.assign(b, inB)
    await store.runs.delete(inA)
    expect(await store.groups.get(a)).toBeNull()
    expect((await store.groups.list()).map((g) => g.id)).toEqual([b])
    expect(await store.groups.pruneEmpty()).toBe(1)
    expect((await store.groups.get(b))!.memberIds).toEqual(inB)
  })

  it('refuses to assign runs that do not exist', async () => {
    const g = await store.groups.insert({ name: 'x', preset: 'dense' })
    const one = await member(1)
    await expect(store.groups.assign(g, [one, 999])).rejects.toThrow(/only 1 of them exist/)
  })
})

describeSqliteOnly('groups repository schema (SQLite: user_version and sqlite_master)', () => {
  it('migrates to the newest schema with the groups and sweeps tables', async () => {
    expect(sqliteHandleForTests(store).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    const tables = sqliteHandleForTests(store).prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['groups', 'sweeps']))
  })
})
