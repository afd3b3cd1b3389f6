/** `compare.significance` through the router, on a real database and the real test labels. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '@shared/run'
import type { Significance } from '@shared/significance'
import { createCore, forkTrainer, type Core } from '@main/core/core'
import { realDataDir } from '../../../../helpers/real-data'
import { storeFinishedRun } from '../../../../helpers/stored-runs'

const { dir: dataDir, reason } = realDataDir()

describe.skipIf(!dataDir)(`compare.significance${reason}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-significance-'))
  let core: Core
  let a: RunSummary
  let b: RunSummary
  let queued: RunSummary

  beforeAll(async () => {
    core = await createCore({
      dataDir: dataDir!,
      dataDirLocked: true,
      dbPath: join(dir, 'atelier.db'),
      appVersion: 'test',
      settingsPath: null,
      spawnTrainer: forkTrainer,
      dialogs: { saveFile: async () => null, openFolder: async () => null }
    })
    const { labels } = await core.dataset.testSet()
    a = await storeFinishedRun(core, { name: 'baseline', labels, right: (i) => i % 10 < 8 })
    // B is right wherever A is, and on a quarter of A's mistakes too: 500 more images right.
    b = await storeFinishedRun(core, { name: 'wider', labels, right: (i) => i % 10 < 8 || i % 40 === 8 })
    queued = await core.store.runs.insert({ name: 'waiting', hparams: { ...(await core.runs.get(a.id)).hparams }, appVersion: 'test' })
  })
  afterAll(async () => {
    await core?.shutdown({ cancelRunning: true })
    rmSync(dir, { recursive: true, force: true })
  })

  const ask = (x: object, y: object) => core.route('compare.significance', { a: x, b: y })

  it('answers with both accuracies, the paired counts, p and the sentence, as plain data', async () => {
    const res = await ask({ kind: 'run', id: a.id }, { kind: 'run', id: b.id })
    expect(res.ok).toBe(true)
    const s = (res as { data: Significance }).data
    expect(s.counts).toEqual({ bothRight: 8000, aOnly: 0, bOnly: 250, bothWrong: 1750 })
    expect(s.a.accuracy).toBe(a.testAccuracy)
    expect(s.b.accuracy).toBe(b.testAccuracy)
    expect(s.test).toBe('mcnemar-exact')
    expect(s.sentence).toBe(`#${b.id} wider gets 250 more test images right than #${a.id} baseline: p < 0.001, a real difference.`)
    expect(structuredClone(s)).toEqual(s)
  })

  it('refuses unknown runs, runs without predictions, unknown groups and malformed requests', async () => {
    expect(await ask({ kind: 'run', id: a.id }, { kind: 'run', id: 9999 })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'Run 9999 does not exist (it may have been deleted).' }
    })
    expect(await ask({ kind: 'run', id: a.id }, { kind: 'run', id: queued.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/is queued and has no test predictions yet/) }
    })
    expect(await ask({ kind: 'group', id: 1 }, { kind: 'group', id: 2 })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await ask({ kind: 'run', id: 0 }, { kind: 'run', id: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await core.route('compare.significance', { a: a.id, b: b.id })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
  })
})
