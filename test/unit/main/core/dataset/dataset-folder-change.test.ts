/** Settings → Dataset folder: a typo or an empty folder is refused with the working folder kept; no switch under queued runs. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { createCore, forkTrainer } from '@main/core/core'
import { checkDataDirChange } from '@main/core/dataset/dataset-folder-change'
import { DATASET_FILES } from '@main/core/dataset/files'
import { idxBytes } from './fixtures'

const root = mkdtempSync(join(tmpdir(), 'atelier-folder-change-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** All four files with the right headers and sizes (blank images). */
function blankDataset(name: string): string {
  const dir = join(root, name)
  mkdirSync(dir, { recursive: true })
  for (const f of DATASET_FILES) {
    const bytes = idxBytes({ magic: f.magic, dims: f.kind === 'images' ? [f.count, 28, 28] : [f.count] })
    writeFileSync(join(dir, f.name), gzipSync(bytes, { level: 1 }))
  }
  return dir
}

describe('changing the dataset folder in Settings', async () => {
  const working = blankDataset('working')
  const settingsPath = join(root, 'settings.json')
  const core = await createCore({
    dataDir: working,
    dbPath: join(root, 'atelier.db'),
    appVersion: 'test',
    settingsPath,
    spawnTrainer: forkTrainer,
    dialogs: { saveFile: async () => null, openFolder: async () => null },
    cores: 1
  })
  afterAll(() => core.shutdown({ cancelRunning: true }))

  it('refuses a folder that does not exist, says so and keeps the working one', async () => {
    core.settings.update({ theme: 'dark' })
    const saved = readFileSync(settingsPath, 'utf8')
    const typo = join(root, 'wroking')
    const result = await core.route('settings.update', { dataDir: typo })
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } })
    const message = (result as { error: { message: string } }).error.message
    expect(message).toContain(`The folder ${typo} does not exist`)
    expect(message).toContain(`keeps using ${working}`)
    expect(core.settings.get().dataDir).toBe(working)
    expect(readFileSync(settingsPath, 'utf8')).toBe(saved)
    expect(core.dataset.status().ready).toBe(true)
  })

  it('names the missing files of a folder without the dataset', async () => {
    const empty = join(root, 'empty')
    mkdirSync(empty)
    const result = await core.route('settings.update', { dataDir: empty })
    expect(result).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining(`${empty} has no train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz`) }
    })
    expect(core.settings.get().dataDir).toBe(working)
  })

  it('saves a folder that holds the four files', async () => {
    const other = blankDataset('other')
    const result = await core.route('settings.update', { dataDir: `${other}/ ` })
    expect(result).toMatchObject({ ok: true, data: { dataDir: other } })
    expect(core.dataset.status()).toMatchObject({ ready: true, dir: other })
  })
})

describe('checkDataDirChange', () => {
  it('refuses any other folder while runs are training or queued, saying how many and what to do', () => {
    const other = blankDataset('third')
    expect(() => checkDataDirChange({ next: other, current: '/data/fm', activeRuns: 2 })).toThrow(
      /2 runs are training or queued with the dataset in \/data\/fm.*keeps using \/data\/fm.*when they have finished, or cancel them/
    )
    // The same folder is no change at all.
    expect(checkDataDirChange({ next: '/data/fm', current: '/data/fm', activeRuns: 2 })).toBe('/data/fm')
    expect(checkDataDirChange({ next: other, current: '/data/fm', activeRuns: 0 })).toBe(other)
  })
})
