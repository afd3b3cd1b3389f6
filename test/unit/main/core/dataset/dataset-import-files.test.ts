/**
 * `dataset.importFiles` through `core.route`: the browser shell's import of picked or dropped files,
 * verified exactly like a folder import (md5 of each published .gz), and nothing kept when it fails.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { DatasetUpload } from '@shared/api'
import { createCore, forkTrainer, type Core } from '@main/core/core'
import { DATASET_FILES } from '@main/core/dataset/files'
import { realDataDir, tempDir } from './fixtures'

const real = realDataDir()
const open: Core[] = []
afterEach(async () => {
  for (const core of open.splice(0)) await core.shutdown({ cancelRunning: true })
})

async function coreFor(dataDir: string): Promise<Core> {
  const core = await createCore({
    dataDir,
    dbPath: ':memory:',
    appVersion: 'test',
    settingsPath: null,
    spawnTrainer: forkTrainer,
    dialogs: { saveFile: async () => null, openFolder: async () => null }
  })
  open.push(core)
  return core
}

const upload = (names: string[]): DatasetUpload[] =>
  names.map((name) => ({ name: name as DatasetUpload['name'], content: new Uint8Array(readFileSync(join(real.dir!, name))) }))

describe.skipIf(!real.dir)(`dataset.importFiles${real.reason}`, () => {
  const names = DATASET_FILES.map((f) => f.name)

  it('imports the four published files into the data folder', async () => {
    const dataDir = join(tempDir(), 'data')
    const result = await (await coreFor(dataDir)).route('dataset.importFiles', { files: upload(names) })
    expect(result).toMatchObject({ ok: true, data: { ready: true, problem: null } })
    expect(readdirSync(dataDir).sort()).toEqual([...names].sort())
  })

  it('names the missing files and writes nothing when one is left out', async () => {
    const dataDir = join(tempDir(), 'data')
    const result = await (await coreFor(dataDir)).route('dataset.importFiles', { files: upload(names.slice(0, 3)) })
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(!result.ok && result.error.message).toMatch(/missing t10k-labels-idx1-ubyte\.gz\. Nothing was imported/)
    expect(existsSync(dataDir)).toBe(false)
  })

  it('refuses a file whose md5 is not the published one, and keeps the data folder as it was', async () => {
    const dataDir = join(tempDir(), 'data')
    const files = upload(names)
    const damaged = files[2]!.content.slice()
    damaged[damaged.length - 9] ^= 0xff
    files[2] = { ...files[2]!, content: damaged }
    const result = await (await coreFor(dataDir)).route('dataset.importFiles', { files })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error.message).toMatch(/t10k-images-idx3-ubyte\.gz: is not the published file \(md5 /)
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([])
  })

  it('refuses a name that is not a dataset file before anything is written', async () => {
    const dataDir = join(tempDir(), 'data')
    const result = await (
      await coreFor(dataDir)
    ).route('dataset.importFiles', {
      files: [{ name: '../evil.gz', content: new Uint8Array([1]) }]
    } as never)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(existsSync(dataDir)).toBe(false)
    rmSync(dataDir, { recursive: true, force: true })
  })
})
