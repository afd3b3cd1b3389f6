import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { DATASET_FILES } from '@main/core/dataset/files'
import { importDataset } from '@main/core/dataset/import'
import { loadDataset } from '@main/core/dataset/load'
import { datasetStatus } from '@main/core/dataset/status'
import { realDataDir, tempDir, rejection, md5 } from './fixtures'

/** Names and modification times of a folder's files, to show it was not touched. */
const snapshot = (dir: string): Array<{ name: string; mtime: number; size: number }> =>
  readdirSync(dir)
    .sort()
    .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs, size: statSync(join(dir, name)).size }))

describe('importDataset', () => {
  it('names every missing file and creates nothing', async () => {
    const to = join(tempDir(), 'data')
    const e = await rejection(importDataset({ from: tempDir(), to }))
    expect(e.code).toBe('missing')
    expect(e.message).toMatch(
      /^train-images-idx3-ubyte\.gz: not found in .*\(train-images-idx3-ubyte\.gz or train-images-idx3-ubyte; .*t10k-labels-idx1-ubyte\.gz or t10k-labels-idx1-ubyte missing\) — nothing was imported/
    )
    expect(existsSync(to)).toBe(false)
  })
})

const real = realDataDir()

describe.skipIf(!real.dir)(`importDataset with the real files${real.reason}`, () => {
  const realDir = real.dir ?? ''
  const copyReal = (dir: string): string => {
    for (const f of DATASET_FILES) copyFileSync(join(realDir, f.name), join(dir, f.name))
    return dir
  }

  it('copies the published .gz files into a new data folder', async () => {
    const to = join(tempDir(), 'nested', 'data')
    await importDataset({ from: realDir, to })
    expect(readdirSync(to).sort()).toEqual(DATASET_FILES.map((f) => f.name).sort())
    for (const f of DATASET_FILES) expect(md5(readFileSync(join(to, f.name)))).toBe(f.md5)
    expect(datasetStatus(to).ready).toBe(true)
  })

  it('accepts decompressed files and drops a stale .gz beside them', async () => {
    const from = tempDir()
    for (const f of DATASET_FILES) writeFileSync(join(from, f.rawName), gunzipSync(readFileSync(join(realDir, f.name))))
    const to = tempDir()
    writeFileSync(join(to, 't10k-labels-idx1-ubyte.gz'), 'not gzip at all')
    await importDataset({ from, to })
    expect(readdirSync(to).sort()).toEqual(DATASET_FILES.map((f) => f.rawName).sort())
    expect((await loadDataset(to)).checksum).toBe((await loadDataset(realDir)).checksum)
  })

  it('refuses a .gz that is not the published file and leaves the data folder untouched', async () => {
    const from = copyReal(tempDir())
    const labels = readFileSync(join(from, 'train-labels-idx1-ubyte.gz'))
    labels[100] ^= 0x01
    writeFileSync(join(from, 'train-labels-idx1-ubyte.gz'), labels)
    const to = copyReal(tempDir())
    const before = snapshot(to)
    const e = await rejection(importDataset({ from, to }))
    expect(e.code).toBe('corrupt')
    expect(e.message).toMatch(
      /^train-labels-idx1-ubyte\.gz: is not the published file \(md5 [0-9a-f]{32}, expected 25c81989df183df01b3e8a0aad5dffbe\) — nothing was imported and .* is unchanged/
    )
    expect(snapshot(to)).toEqual(before)
  })

  it('refuses a cut-off raw file, naming it, before writing anything', async () => {
    const from = tempDir()
    for (const f of DATASET_FILES) if (f.key !== 'testImages') copyFileSync(join(realDir, f.name), join(from, f.name))
    const raw = gunzipSync(readFileSync(join(realDir, 't10k-images-idx3-ubyte.gz')))
    writeFileSync(join(from, 't10k-images-idx3-ubyte'), raw.subarray(0, 500_016))
    const to = join(tempDir(), 'data')
    const e = await rejection(importDataset({ from, to }))
    expect(e.message).toMatch(
      /^t10k-images-idx3-ubyte: truncated — header says 10000 images \(7,840,016 bytes\) but the file holds 500,016 bytes — nothing was imported and .* is unchanged/
    )
    expect(existsSync(to)).toBe(false)
  })

  it('refuses raw labels that are not class ids', async () => {
    const from = tempDir()
    for (const f of DATASET_FILES) if (f.key !== 'trainLabels') copyFileSync(join(realDir, f.name), join(from, f.name))
    const labels = gunzipSync(readFileSync(join(realDir, 'train-labels-idx1-ubyte.gz')))
    labels[8 + 59_999] = 10
    writeFileSync(join(from, 'train-labels-idx1-ubyte'), labels)
    const e = await rejection(importDataset({ from, to: tempDir() }))
    expect(e.message).toMatch(/^train-labels-idx1-ubyte: label 10 at index 59999 is not a class id 0–9 — nothing was imported/)
  })

  it('treats importing a folder into itself as a check only', async () => {
    const dir = copyReal(tempDir())
    const before = snapshot(dir)
    await importDataset({ from: dir, to: dir })
    expect(snapshot(dir)).toEqual(before)
  })
})
