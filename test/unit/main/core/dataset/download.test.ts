import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { downloadDataset, type DownloadProgress } from '@main/core/dataset/download'
import { DATASET_FILES } from '@main/core/dataset/files'
import { loadDataset } from '@main/core/dataset/load'
import { datasetStatus } from '@main/core/dataset/status'
import { realDataDir, tempDir, rejection, md5 } from './fixtures'

/** How the test server answers for one file name. */
interface Route {
  body: Uint8Array
  status?: number
  /** Sends the body in this many pieces with a pause between them, so progress has time to report. */
  pieces?: number
  pauseMs?: number
  /** Stops after this many bytes: `end` closes the response normally (no length sent), `destroy` drops the connection. */
  cut?: { after: number; how: 'end' | 'destroy' }
}

interface TestServer {
  baseUrl: string
  requests: string[]
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

async function serve(routes: Record<string, Route>): Promise<TestServer> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    void (async () => {
      const name = decodeURIComponent((req.url ?? '').replace(/^\/data\//, ''))
      requests.push(name)
      const route = routes[name]
      if (!route) {
        res.writeHead(404).end('not here')
        return
      }
      const body = route.cut ? route.body.subarray(0, route.cut.after) : route.body
      const headers: Record<string, number> = route.cut?.how === 'end' ? {} : { 'content-length': route.body.length }
      res.writeHead(route.status ?? 200, headers)
      const pieces = route.pieces ?? 1
      const size = Math.ceil(body.length / pieces)
      for (let at = 0; at < body.length; at += size) {
        if (res.destroyed) return
        res.write(body.subarray(at, at + size))
        if (route.pauseMs) await sleep(route.pauseMs)
      }
      if (route.cut?.how === 'destroy') res.destroy()
      else res.end()
    })()
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/data/`, requests }
}

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
