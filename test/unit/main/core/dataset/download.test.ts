import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { downloadDataset, type DownloadProgress } from '@main/core/dataset/download'
import { DATASET_FILES } from '@main/core/dataset/files'
import { loadDataset } from '@main/core/dataset/load'
import { datasetStatus } from '@main/core/dataset/status'
import { realDataDir, tempDir, rejection, md5 } from './fixtures'
import { serve, type Route } from './serve'

const real = realDataDir()

describe.skipIf(!real.dir)(`downloadDataset from a local server${real.reason}`, () => {
  const realDir = real.dir ?? ''
  const bytes = new Map<string, Uint8Array>()
  beforeAll(() => {
    for (const f of DATASET_FILES) bytes.set(f.name, readFileSync(join(realDir, f.name)))
  })
  const good = (name: string, extra: Partial<Route> = {}): Route => ({ body: bytes.get(name) as Uint8Array, ...extra })
  /** A data folder already holding the real copies of every file but `except`. */
  const folderWithout = (except: string): string => {
    const dir = tempDir()
    for (const f of DATASET_FILES) if (f.name !== except) copyFileSync(join(realDir, f.name), join(dir, f.name))
    return dir
  }

  it('downloads all four files with progress that climbs to each total, then skips them next time', async () => {
    const routes = Object.fromEntries(DATASET_FILES.map((f) => [f.name, good(f.name, { pieces: 8, pauseMs: 30 })]))
    const server = await serve(routes)
    const dir = join(tempDir(), 'data')
    const events: DownloadProgress[] = []
    await downloadDataset({ dir, baseUrl: server.baseUrl, onProgress: (p) => events.push(p) })

    expect(readdirSync(dir).sort()).toEqual(DATASET_FILES.map((f) => f.name).sort())
    for (const f of DATASET_FILES) {
      expect(md5(readFileSync(join(dir, f.name)))).toBe(f.md5)
      const mine = events.filter((e) => e.file === f.name)
      expect(mine.length).toBeGreaterThanOrEqual(2)
      mine.forEach((e, i) => {
        expect(e.bytesTotal).toBe(f.bytes)
        expect(e.bytesPerSec).toBeGreaterThan(0)
        if (i > 0) expect(e.bytesDone).toBeGreaterThan(mine[i - 1].bytesDone)
      })
      expect(mine.at(-1)?.bytesDone).toBe(f.bytes)
    }
    expect(datasetStatus(dir).ready).toBe(true)
    expect((await loadDataset(dir)).checksum).toBe((await loadDataset(realDir)).checksum)

    server.requests.length = 0
    events.length = 0
    await downloadDataset({ dir, baseUrl: server.baseUrl, onProgress: (p) => events.push(p) })
    expect(server.requests).toEqual([])
    expect(events).toEqual([])
  })

  it('rejects a corrupt file, leaves nothing of it behind and keeps the good files untouched', async () => {
    const name = 't10k-images-idx3-ubyte.gz'
    const dir = folderWithout(name)
    const before = readdirSync(dir).map((n) => ({ n, mtime: statSync(join(dir, n)).mtimeMs }))
    const corrupt = Uint8Array.from(bytes.get(name) as Uint8Array)
    corrupt[2_000_000] ^= 0xff
    const server = await serve({ [name]: { body: corrupt } })

    const e = await rejection(downloadDataset({ dir, baseUrl: server.baseUrl }))
    expect(e.code).toBe('corrupt')
    expect(e.message).toMatch(
      /^t10k-images-idx3-ubyte\.gz: downloaded file is corrupt \(md5 [0-9a-f]{32}, expected bef4ecab320f06d8554ea6380940ec79\) — nothing of it was kept .*retry the download, or import the four files from a folder$/
    )
    expect(server.requests).toEqual([name])
    expect(readdirSync(dir).map((n) => ({ n, mtime: statSync(join(dir, n)).mtimeMs }))).toEqual(before)
    for (const f of DATASET_FILES) if (f.name !== name) expect(md5(readFileSync(join(dir, f.name)))).toBe(f.md5)
  })

  it('replaces a damaged file already in the folder', async () => {
    const name = 'train-labels-idx1-ubyte.gz'
    const dir = folderWithout(name)
    copyFileSync(join(realDir, 't10k-labels-idx1-ubyte.gz'), join(dir, name))
    const server = await serve({ [name]: good(name) })
    await downloadDataset({ dir, baseUrl: server.baseUrl })
    expect(server.requests).toEqual([name])
    expect(md5(readFileSync(join(dir, name)))).toBe('25c81989df183df01b3e8a0aad5dffbe')
  })

  it('reports a response that ends early or a dropped connection, keeping nothing', async () => {
    const name = 't10k-labels-idx1-ubyte.gz'
    const dir = folderWithout(name)
    const short = await serve({ [name]: good(name, { cut: { after: 2000, how: 'end' } }) })
    const e1 = await rejection(downloadDataset({ dir, baseUrl: short.baseUrl }))
    expect(e1.code).toBe('network')
    expect(e1.message).toMatch(
      /^t10k-labels-idx1-ubyte\.gz: download from http:\/\/127\.0\.0\.1:\d+\/data\/t10k-labels-idx1-ubyte\.gz ended after 2,000 of 5,148 bytes/
    )

    const dropped = await serve({ [name]: good(name, { pieces: 4, pauseMs: 20, cut: { after: 3000, how: 'destroy' } }) })
    const e2 = await rejection(downloadDataset({ dir, baseUrl: dropped.baseUrl }))
    expect(e2.code).toBe('network')
    expect(e2.message).toMatch(/^t10k-labels-idx1-ubyte\.gz: download from .* failed \(.+\) — nothing of it was kept/)
    expect(readdirSync(dir).sort()).toEqual(
      DATASET_FILES.map((f) => f.name)
        .filter((n) => n !== name)
        .sort()
    )
  })

  it('rejects a file larger than published and an HTTP error', async () => {
    const name = 't10k-labels-idx1-ubyte.gz'
    const dir = folderWithout(name)
    const padded = new Uint8Array(6000)
    padded.set(bytes.get(name) as Uint8Array)
    const big = await serve({ [name]: { body: padded } })
    expect((await rejection(downloadDataset({ dir, baseUrl: big.baseUrl }))).message).toMatch(/sent more than the published 5,148 bytes/)

    const missing = await serve({})
    const e = await rejection(downloadDataset({ dir, baseUrl: missing.baseUrl }))
    expect(e.message).toMatch(
      /^t10k-labels-idx1-ubyte\.gz: download from http:\/\/127\.0\.0\.1:\d+\/data\/t10k-labels-idx1-ubyte\.gz failed \(HTTP 404 Not Found\)/
    )
    expect(readdirSync(dir)).toHaveLength(3)
  })

  it('stops on abort and discards the file in flight', async () => {
    const name = 'train-images-idx3-ubyte.gz'
    const dir = folderWithout(name)
    const server = await serve({ [name]: good(name, { pieces: 50, pauseMs: 20 }) })
    const controller = new AbortController()
    const e = await rejection(
      downloadDataset({ dir, baseUrl: server.baseUrl, signal: controller.signal, onProgress: () => controller.abort() })
    )
    expect(e.code).toBe('cancelled')
    expect(e.message).toMatch(/^train-images-idx3-ubyte\.gz: download cancelled/)
    expect(readdirSync(dir)).toHaveLength(3)
  })

  it('takes the base URL from ATELIER_DATASET_URL when no option is given', async () => {
    const name = 't10k-labels-idx1-ubyte.gz'
    const dir = folderWithout(name)
    const server = await serve({ [name]: good(name) })
    const saved = process.env.ATELIER_DATASET_URL
    process.env.ATELIER_DATASET_URL = server.baseUrl.replace(/\/$/, '')
    try {
      await downloadDataset({ dir })
    } finally {
      if (saved === undefined) delete process.env.ATELIER_DATASET_URL
      else process.env.ATELIER_DATASET_URL = saved
    }
    expect(server.requests).toEqual([name])
    expect(datasetStatus(dir).ready).toBe(true)
  })
})
