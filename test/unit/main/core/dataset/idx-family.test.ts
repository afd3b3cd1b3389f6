import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { BUILTINS, type DatasetProgress } from '@shared/dataset'
import { downloadIdx } from '@main/core/dataset/download'
import { IDX_FAMILIES, idxFile, idxFiles, resolveBaseUrls, type IdxFamilySpec } from '@main/core/dataset/files'
import { importIdx } from '@main/core/dataset/import'
import { loadDataset } from '@main/core/dataset/load'
import { idxStatus } from '@main/core/dataset/status'
import { idxBytes, md5, rejection, tempDir } from './fixtures'
import { refusingBaseUrl, serve } from './serve'

/** MNIST-shaped files with few images: raw IDX bytes per raw name. */
function generate(options: { train?: number; test?: number; trainLabels?: number; badLabelAt?: number } = {}): Map<string, Uint8Array> {
  const train = options.train ?? 12
  const test = options.test ?? 5
  const labels = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 10)
  const images = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n * 784 }, (_, i) => (i * seed) % 256)
  const trainLabels = labels(options.trainLabels ?? train)
  if (options.badLabelAt !== undefined) trainLabels[options.badLabelAt] = 10
  return new Map([
    ['train-images-idx3-ubyte', idxBytes({ magic: 2051, dims: [train, 28, 28], data: images(train, 13) })],
    ['train-labels-idx1-ubyte', idxBytes({ magic: 2049, dims: [trainLabels.length], data: trainLabels })],
    ['t10k-images-idx3-ubyte', idxBytes({ magic: 2051, dims: [test, 28, 28], data: images(test, 29) })],
    ['t10k-labels-idx1-ubyte', idxBytes({ magic: 2049, dims: [test], data: labels(test) })]
  ])
}

/** A test-only family spec whose md5s and sizes are those of the generated files, gzipped. */
function specFor(raw: Map<string, Uint8Array>, urls: string[] = []): { spec: IdxFamilySpec; gz: Map<string, Uint8Array> } {
  const gz = new Map([...raw].map(([name, bytes]) => [`${name}.gz`, gzipSync(bytes)]))
  const files = IDX_FAMILIES.mnist.files.map((f) => {
    const body = gz.get(f.name) as Uint8Array
    const count = new DataView(raw.get(f.rawName)!.buffer).getUint32(4, false)
    return idxFile(
      { key: f.key, name: f.name, part: f.part, kind: f.kind, md5: md5(body), rawSha256: null, bytes: body.length, count },
      BUILTINS.mnist.shape
    )
  })
  return { spec: { family: 'mnist', title: 'MNIST', files, urls, urlEnv: 'ATELIER_TEST_NOT_SET_URL' }, gz }
}

const routesOf = (gz: Map<string, Uint8Array>, extra: { pieces?: number; pauseMs?: number } = {}) =>
  Object.fromEntries([...gz].map(([name, body]) => [name, { body, ...extra }]))

describe('the IDX family specs', () => {
  it('keeps the four file names and gives MNIST and KMNIST their own published md5s and hosts', () => {
    const names = idxFiles('fashion-mnist').map((f) => f.name)
    expect(idxFiles('mnist').map((f) => f.name)).toEqual(names)
    expect(idxFiles('kmnist').map((f) => f.name)).toEqual(names)
    expect(idxFiles('mnist')[0].md5).toBe('f68b3c2dcbeaaa9fbdd348bbdeb94873')
    expect(idxFiles('kmnist')[3].md5).toBe('7320c461ea6c1c855c0b718fb2a4b134')
    expect(IDX_FAMILIES.mnist.urls).toEqual(['http://yann.lecun.com/exdb/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/'])
    expect(IDX_FAMILIES.kmnist.urls).toEqual(['http://codh.rois.ac.jp/kmnist/dataset/kmnist/'])
  })

  it('lets a per-dataset environment variable replace the hosts', () => {
    const saved = process.env.ATELIER_MNIST_URL
    process.env.ATELIER_MNIST_URL = 'http://proxy.example/mnist'
    try {
      expect(resolveBaseUrls(IDX_FAMILIES.mnist)).toEqual(['http://proxy.example/mnist/'])
      expect(resolveBaseUrls(IDX_FAMILIES.kmnist)).toEqual(['http://codh.rois.ac.jp/kmnist/dataset/kmnist/'])
    } finally {
      if (saved === undefined) delete process.env.ATELIER_MNIST_URL
      else process.env.ATELIER_MNIST_URL = saved
    }
  })
})

describe('downloadIdx from a local server (generated MNIST-shaped files)', () => {
  it('downloads, reports progress with speed and ETA over all files, and loads what it wrote', async () => {
    const raw = generate()
    const { spec, gz } = specFor(raw)
    const local = await serve(routesOf(gz, { pieces: 4, pauseMs: 5 }))
    spec.urls = [local.baseUrl]
    const dir = join(tempDir(), 'mnist')
    const events: DatasetProgress[] = []
    await downloadIdx({ spec, dir, onProgress: (p) => events.push(p) })

    expect(readdirSync(dir).sort()).toEqual([...gz.keys()].sort())
    const total = [...gz.values()].reduce((n, b) => n + b.length, 0)
    expect(events.every((e) => e.dataset === 'mnist' && e.phase === 'downloading' && e.total === total)).toBe(true)
    expect(events.at(-1)?.done).toBe(total)
    expect(events.at(-1)?.etaSeconds).toBe(0)
    expect(events.every((e, i) => i === 0 || e.done >= events[i - 1].done)).toBe(true)
    const data = await loadDataset(dir, { spec })
    expect(data.train?.count).toBe(12)
    expect(Array.from(data.test?.images.subarray(0, 50) ?? [])).toEqual(Array.from(raw.get('t10k-images-idx3-ubyte')!.subarray(16, 66)))
    expect(idxStatus(dir, spec)).toMatchObject({ ready: true, problem: null, warning: null })
  })

  it('falls back to the mirror when the official host refuses the connection', async () => {
    const { spec, gz } = specFor(generate())
    const mirror = await serve(routesOf(gz))
    spec.urls = [await refusingBaseUrl(), mirror.baseUrl]
    const dir = tempDir()
    await downloadIdx({ spec, dir })
    expect(mirror.requests.sort()).toEqual([...gz.keys()].sort())
    expect(idxStatus(dir, spec).ready).toBe(true)
  })

  it('names every host when all fail, and keeps nothing', async () => {
    const { spec } = specFor(generate())
    const empty = await serve({})
    spec.urls = [await refusingBaseUrl(), empty.baseUrl]
    const dir = tempDir()
    const e = await rejection(downloadIdx({ spec, dir }))
    expect(e.message).toMatch(
      /^train-images-idx3-ubyte\.gz: download failed from every host \(http:\/\/127\.0\.0\.1:\d+\/data\/train-images-idx3-ubyte\.gz: download from .* failed \(.+\); http:\/\/127.*HTTP 404 Not Found\)\) — nothing of it was kept/
    )
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses a file whose md5 is not the published one and keeps nothing of it', async () => {
    const { spec, gz } = specFor(generate())
    const wrong = Uint8Array.from(gz.get('t10k-labels-idx1-ubyte.gz')!)
    wrong[wrong.length - 9] ^= 0x01
    const server = await serve({ ...routesOf(gz), 't10k-labels-idx1-ubyte.gz': { body: wrong } })
    const dir = tempDir()
    const e = await rejection(downloadIdx({ spec, dir, baseUrl: server.baseUrl }))
    expect(e.code).toBe('corrupt')
    expect(e.message).toMatch(/^t10k-labels-idx1-ubyte\.gz: downloaded file is corrupt \(md5 [0-9a-f]{32}, expected [0-9a-f]{32}\)/)
    expect(readdirSync(dir).sort()).toEqual(['t10k-images-idx3-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'])
  })

  it('cancelled mid-download leaves no temp file and no partial file', async () => {
    const raw = generate({ train: 400 })
    const { spec, gz } = specFor(raw)
    const server = await serve(routesOf(gz, { pieces: 40, pauseMs: 15 }))
    const dir = tempDir()
    const controller = new AbortController()
    const e = await rejection(
      downloadIdx({ spec, dir, baseUrl: server.baseUrl, signal: controller.signal, onProgress: (p) => p.done > 0 && controller.abort() })
    )
    expect(e.code).toBe('cancelled')
    expect(e.message).toMatch(/^train-images-idx3-ubyte\.gz: download cancelled — nothing of this file was kept/)
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('importIdx and loadDataset on bad generated files', () => {
  const writeRaw = (dir: string, raw: Map<string, Uint8Array>): void => {
    for (const [name, bytes] of raw) writeFileSync(join(dir, name), bytes)
  }

  it('imports MNIST-shaped raw files, then loads them with the family checksum rule', async () => {
    const raw = generate()
    const { spec } = specFor(raw)
    const from = tempDir()
    writeRaw(from, raw)
    const to = join(tempDir(), 'mnist')
    await importIdx({ from, to, spec })
    expect(readdirSync(to).sort()).toEqual([...raw.keys()].sort())
    const a = await loadDataset(to, { spec })
    const b = await loadDataset(from, { spec })
    expect(a.checksum).toBe(b.checksum)
    expect(a.checksum).toMatch(/^[0-9a-f]{64}$/)
  })

  it('names a truncated IDX file (header says N, fewer bytes) and writes nothing', async () => {
    const raw = generate()
    const { spec } = specFor(raw)
    const cut = raw.get('t10k-images-idx3-ubyte')!
    raw.set('t10k-images-idx3-ubyte', cut.subarray(0, cut.length - 100))
    const from = tempDir()
    writeRaw(from, raw)
    const to = join(tempDir(), 'mnist')
    const e = await rejection(importIdx({ from, to, spec }))
    expect(e.message).toMatch(
      /^t10k-images-idx3-ubyte: truncated — header says 5 images \(3,936 bytes\) but the file holds 3,836 bytes — nothing was imported and .* is unchanged; import the original files, or download the dataset$/
    )
    expect(existsSync(to)).toBe(false)
    const load = await rejection(loadDataset(from, { spec }))
    expect(load.message).toMatch(/^t10k-images-idx3-ubyte: truncated — header says 5 images/)
  })

  it('names mismatched image and label counts', async () => {
    const raw = generate({ trainLabels: 11 })
    const { spec } = specFor(raw)
    const from = tempDir()
    writeRaw(from, raw)
    const to = join(tempDir(), 'mnist')
    const e = await rejection(importIdx({ from, to, spec }))
    expect(e.message).toMatch(
      /^train-labels-idx1-ubyte: holds 11 labels but train-images-idx3-ubyte holds 12 images \(one label per image is needed\) — nothing was imported/
    )
    expect(existsSync(to)).toBe(false)
    expect((await rejection(loadDataset(from, { spec }))).message).toMatch(/^train-labels-idx1-ubyte: holds 11 labels but/)
  })

  it('names a label out of range', async () => {
    const raw = generate({ badLabelAt: 3 })
    const { spec } = specFor(raw)
    const from = tempDir()
    writeRaw(from, raw)
    const e = await rejection(importIdx({ from, to: join(tempDir(), 'x'), spec }))
    expect(e.message).toMatch(/^train-labels-idx1-ubyte: label 10 at index 3 is not a class id 0–9 — nothing was imported/)
    expect((await rejection(loadDataset(from, { spec }))).message).toMatch(/^train-labels-idx1-ubyte: label 10 at index 3/)
  })

  it('refuses a .gz that is not the published MNIST file, leaving the target as it was', async () => {
    const raw = generate()
    const { spec, gz } = specFor(raw)
    const from = tempDir()
    for (const [name, bytes] of gz) writeFileSync(join(from, name), bytes)
    writeFileSync(join(from, 'train-labels-idx1-ubyte.gz'), gzipSync(raw.get('t10k-labels-idx1-ubyte')!))
    const to = tempDir()
    writeFileSync(join(to, 'keep.txt'), 'x')
    const e = await rejection(importIdx({ from, to, spec }))
    expect(e.message).toMatch(/^train-labels-idx1-ubyte\.gz: is not the published file \(md5 /)
    expect(readdirSync(to)).toEqual(['keep.txt'])
    expect(readFileSync(join(to, 'keep.txt'), 'utf8')).toBe('x')
  })
})
