/**
 * A disk that fills during `export --model DIR --format tfjs`, for real: the destination is a 64 KB
 * tmpfs, where `model.json` fits and the weights do not. Nothing is left in the destination (never a
 * `model.json` without its weights), no temp folder remains, and the error names the file that failed.
 * Without a tmpfs (needs root on Linux) the same is checked with an injected failing write.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { createCore, type Core } from '@main/core/core'
import { exportModelFiles } from '@main/cli/model-commands'
import { writeExportFolder } from '@main/core/models/write-export-folder'
import { modelFileBytes, recordRunFiles } from '../helpers/model-files'
import { mountTmpfs } from '../helpers/tmpfs'

const disk = mountTmpfs('64k', 'export disk-full test')
let dir: string
let core: Core
let runId: number

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-export-full-'))
  core = await createCore({
    dataDir: join(dir, 'data'),
    dbPath: join(dir, 'atelier.db'),
    appVersion: 'test',
    settingsPath: null,
    cores: 1,
    spawnTrainer: () => {
      throw new Error('no trainer in this test')
    },
    dialogs: { saveFile: async () => null, openFolder: async () => null }
  })
  runId = (await core.store.runs.insert({ name: 'exported', hparams: defaultHparams('dense'), appVersion: 'test' })).id
  await recordRunFiles(core, runId, { model: (await modelFileBytes({ runId, storeId: core.models.storeId })).model })
})
afterAll(async () => {
  await core.shutdown({ cancelRunning: false })
  rmSync(dir, { recursive: true, force: true })
  disk.remove()
})

const failure =
  /^Could not write .*\/out\/group1-shard1of1\.bin \(\d+ bytes\): the disk is full\. The export was not written and .*\/out was left as it was\. Free some disk space or choose another folder, then export again\.$/

describe.skipIf(!disk.mounted)('a disk that fills during a TF.js export', () => {
  it('leaves no model.json without weights, no temp folder, and names the weights file', async () => {
    const out = join(disk.dir, 'out')
    await expect(exportModelFiles({ core, runId, dir: out, format: 'tfjs' })).rejects.toThrow(failure)
    expect(readdirSync(disk.dir)).toEqual([])
  })

  it('into an existing folder: its files stay as they were', async () => {
    const out = join(disk.dir, 'out')
    mkdirSync(out)
    writeFileSync(join(out, 'notes.txt'), 'mine')
    await expect(exportModelFiles({ core, runId, dir: out, format: 'tfjs' })).rejects.toThrow(failure)
    expect(readdirSync(disk.dir)).toEqual(['out'])
    expect(readdirSync(out)).toEqual(['notes.txt'])
    rmSync(out, { recursive: true })
  })
})

describe('export folder writes', () => {
  it('a failing write (injected) leaves the destination untouched and names the file', () => {
    const out = join(dir, 'out')
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    const fs = {
      writeFileSync: (path: string, bytes: Uint8Array) => {
        if (path.endsWith('.bin')) throw full
        writeFileSync(path, bytes)
      },
      renameSync: () => {
        throw new Error('nothing may be renamed into place')
      }
    }
    const files = [
      { name: 'group1-shard1of1.bin', bytes: new Uint8Array(10) },
      { name: 'model.json', bytes: new Uint8Array(3) }
    ]
    expect(() => writeExportFolder(out, files, fs)).toThrow(failure)
    expect(readdirSync(dir).filter((n) => n.includes('out'))).toEqual([])
  })

  it('writes every file into a new or an existing folder', async () => {
    const out = join(dir, 'written')
    await exportModelFiles({ core, runId, dir: out, format: 'tfjs' })
    expect(readdirSync(out).sort()).toEqual(['group1-shard1of1.bin', 'model.json', 'preprocessing.json'])
    await exportModelFiles({ core, runId, dir: out, format: 'onnx' })
    expect(readdirSync(out).sort()).toEqual([
      'exported.onnx',
      'exported.preprocessing.json',
      'group1-shard1of1.bin',
      'model.json',
      'preprocessing.json'
    ])
    expect(readdirSync(dir).filter((n) => n.includes('tmp'))).toEqual([])
  })
})
