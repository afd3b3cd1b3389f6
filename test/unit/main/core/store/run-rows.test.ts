/** Stored runs of custom architectures read back as they were queued; rows written before them read unchanged. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { completeHparams, defaultHparams, type Hparams } from '@shared/hparams'
import { parseArchitectureJson } from '@shared/architecture/parse-architecture'
import type { RunStore } from '@main/core/store'
import { dbErrorOf } from './fixtures/sample-run'
import { describeStore, openTestStore, rawSql } from './fixtures/test-store'

const parsed = parseArchitectureJson(
  readFileSync(resolve(import.meta.dirname, '../../../../../examples/architectures/small-resnet.json'), 'utf8')
)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const custom = (): Hparams => {
  const r = completeHparams({ preset: 'custom', architecture: parsed.architecture, learningRate: 0.003 })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

let store: RunStore
beforeEach(async () => {
  store = await openTestStore()
})
afterEach(() => store.close())

describeStore('run rows of custom architectures', () => {
  it('keep the architecture exactly, name it in the list, and leave its layers out of the list columns', async () => {
    const queued = await store.runs.insert({ name: 'resnet', hparams: custom(), appVersion: 'test' })
    expect(queued).toMatchObject({ preset: 'custom', architectureName: 'small-resnet' })
    expect((await store.runs.get(queued.id))!.hparams).toEqual(custom())
    const [listed] = await store.runs.list()
    expect(listed).toMatchObject({ preset: 'custom', architectureName: 'small-resnet' })
    expect(listed.hp.learningRate).toBe(0.003)
    expect(Object.keys(listed.hp).filter((k) => k.startsWith('architecture'))).toEqual([])
  })

  it('read a row stored before custom architectures (no architecture in its JSON) as a preset run', async () => {
    const { architecture: _a, ...old } = { ...defaultHparams('cnn-bn'), seed: 3 }
    await rawSql(
      store,
      `INSERT INTO runs (name, preset, dataset, hparams, status, created_at, app_version, seed, epochs_planned)
       VALUES ('old', 'cnn-bn', 'fashion-mnist', ?, 'queued', '2025-01-01T00:00:00.000Z', '0.1.0', 3, 10)`,
      [JSON.stringify(old)]
    )
    const [run] = await store.runs.list()
    expect(run).toMatchObject({ name: 'old', preset: 'cnn-bn', architectureName: null })
    expect((await store.runs.get(run.id))!.hparams).toEqual({ ...old, architecture: null })
  })

  it('still report a preset nobody knows as a damaged row, naming the run', async () => {
    const run = await store.runs.insert({ name: 'x', hparams: defaultHparams('dense'), appVersion: 'test' })
    await rawSql(store, "UPDATE runs SET preset = 'vgg' WHERE id = ?", [run.id])
    expect((await dbErrorOf(() => store.runs.list())).message).toMatch(/Run \d+ in the database cannot be read: unknown preset "vgg"/)
  })

  it('group seed repeats of a custom run under the preset "custom"', async () => {
    const groupId = await store.groups.insert({ name: 'resnet × 2 seeds', preset: 'custom' })
    const ids: number[] = []
    for (const seed of [1, 2])
      ids.push((await store.runs.insert({ name: `resnet ${seed}`, hparams: { ...custom(), seed }, appVersion: 'test' })).id)
    await store.groups.assign(groupId, ids)
    expect(await store.groups.get(groupId)).toMatchObject({ preset: 'custom' })
  })
})
