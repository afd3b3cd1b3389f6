/**
 * `export --predictions/--run` and `compare --pdf`: the CLI writes the very file the app's save dialog
 * and the browser's download get (one builder in the core, `core.exportFile`), to the path it was given.
 */
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '@shared/run'
import { createCore, forkTrainer, type Core } from '@main/core/core'
import { fileBytes } from '@main/core/export/exported-file'
import { realDataDir } from '../helpers/real-data'
import { runCli } from '../helpers/run-cli'
import { storeFinishedRun } from '../helpers/stored-runs'

const { dir: dataDir, reason } = realDataDir()

describe.skipIf(!dataDir)(`CLI exports${reason}`, () => {
  const work = mkdtempSync(join(tmpdir(), 'atelier-cli-export-'))
  const db = join(work, 'atelier.db')
  const common = ['--db', db, '--data', dataDir as string]
  let core: Core
  let a: RunSummary
  let queued: number
  beforeAll(async () => {
    core = await createCore({
      dataDir: dataDir!,
      dataDirLocked: true,
      dbPath: db,
      appVersion: 'test',
      settingsPath: null,
      spawnTrainer: forkTrainer,
      dialogs: { saveFile: async () => null, openFolder: async () => null }
    })
    const { labels } = await core.dataset.testSet()
    a = await storeFinishedRun(core, { name: 'seed 1', labels, right: (i) => i % 100 < 85 })
    queued = (await core.store.runs.insert({ name: 'still queued', hparams: (await core.runs.get(a.id)).hparams, appVersion: 'test' })).id
  })
  afterAll(async () => {
    await core?.shutdown({ cancelRunning: false })
    rmSync(work, { recursive: true, force: true })
  })

  it('writes the same bytes the app would save for the predictions CSV and the run JSON', async () => {
    const csv = join(work, 'p.csv')
    const json = join(work, 'r.json')
    const r = await runCli(['export', String(a.id), '--predictions', csv, '--run', json, ...common])
    expect(r.code, r.stderr).toBe(0)
    for (const [path, channel] of [
      [csv, 'export.predictions'],
      [json, 'export.run']
    ] as const) {
      const made = await core.exportFile(channel, { id: a.id })
      expect(made.ok).toBe(true)
      if (made.ok) expect(new Uint8Array(readFileSync(path))).toEqual(fileBytes(made.data))
    }
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe('index,label,label_name,predicted,predicted_name,confidence')
  })

  it('refuses a run without predictions with a usage error and writes nothing', async () => {
    const csv = join(work, 'none.csv')
    const r = await runCli(['export', String(queued), '--predictions', csv, ...common])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no predictions/)
    expect(existsSync(csv)).toBe(false)
  })
})
