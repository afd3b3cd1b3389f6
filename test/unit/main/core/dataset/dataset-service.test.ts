/**
 * The dataset service: the list of every dataset, samples, downloads and imports as cancellable jobs,
 * removal. Fashion-MNIST is read for real; sources that other helpers fill in (MNIST's download, the
 * folder import) are fakes passed through the service's options.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventMap } from '@shared/api'
import { defaultHparams } from '@shared/hparams'
import type { DatasetProgress, ImportReport } from '@shared/dataset'
import { openRunStore, type RunStore } from '@main/core/store'
import { createDatasetService, type DatasetServiceOptions } from '@main/core/dataset/dataset-service'
import { DEFAULT_SOURCES } from '@main/core/dataset/dataset-sources'
import type { FolderImportRequest, FolderImportResult } from '@main/core/dataset/folder'
import { DATASET_FILES } from '@main/core/dataset/files'
import { DatasetError } from '@main/core/dataset/errors'
import { realDataDir, tempDir } from './fixtures'

const real = realDataDir()
/** The official files' content hash (src/main/core/dataset/README.md). */
const FASHION_HASH = '6e1b8248a371b684a8915a1bed4b38233fddf371eb4aedfbefbeecd3adf25313'

let store: RunStore
beforeEach(async () => (store = await openRunStore(':memory:')))
afterEach(async () => await store.close())

type Events = { [E in keyof EventMap]?: EventMap[E][] }

function service(overrides: Partial<DatasetServiceOptions> & { fashionDir?: string; datasetsDir?: string } = {}) {
  const events: Events = {}
  const fashionDir = overrides.fashionDir ?? real.dir ?? tempDir()
  const datasetsDir = overrides.datasetsDir ?? tempDir()
  const svc = createDatasetService({
    datasets: store.datasets,
    folders: () => ({ fashionDir, datasetsDir }),
    locked: true,
    emit: (event, payload) => ((events[event] ??= []) as unknown[]).push(payload),
    dialogs: { openFolder: async () => null },
    deleteRuns: async (ids) => await store.runs.delete(ids),
    ...overrides
  })
  return { svc, events, datasetsDir, fashionDir }
}

const report = (from: string): ImportReport => ({
  from,
  scanned: 6,
  imported: 6,
  skipped: [],
  duplicates: 0,
  trainPerClass: [2, 2],
  testPerClass: [1, 1],
  ownTestSplit: false,
  testSplit: 0.2,
  seed: 42,
  seconds: 0.1
})

/** A folder import that writes a small cache file, as the real one will. */
async function fakeImport(request: FolderImportRequest): Promise<FolderImportResult> {
  request.onProgress?.({ dataset: request.name, phase: 'decoding', done: 3, total: 6, unit: 'images', perSec: 0, etaSeconds: null })
  writeFileSync(request.outFile, 'cache')
  return {
    shape: { height: 8, width: 8, channels: 3 },
    classNames: ['cat', 'dog'],
    trainCount: 4,
    testCount: 2,
    contentHash: 'a'.repeat(64),
    preprocessing: { fit: 'cover', height: 8, width: 8, color: 'rgb', scale: 1 / 255 },
    report: report(request.folder)
  }
}

/** A folder with one subfolder per class (the fake import does not read it, the service checks it exists). */
function photoFolder(): string {
  const dir = tempDir()
  mkdirSync(join(dir, 'cat'))
  mkdirSync(join(dir, 'dog'))
  return dir
}

const runOn = async (dataset: string) =>
  await store.runs.insert({ name: 'r', hparams: { ...defaultHparams('dense'), dataset }, appVersion: 't' })

const rejectionOf = async (promise: Promise<unknown> | (() => unknown)): Promise<Error> => {
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

describe('datasets.list', () => {
  it('shows the four built-ins whether on disk or not, with what to do for those that are missing', async () => {
    const { svc } = service({ fashionDir: tempDir() })
    const list = await svc.list()
    expect(list.map((d) => d.name)).toEqual(['fashion-mnist', 'mnist', 'kmnist', 'cifar10'])
    for (const d of list) {
      expect(d.ready).toBe(false)
      expect(d.problem).toBeTruthy()
      expect(d.runCount).toBe(0)
    }
    expect(list[3]).toMatchObject({
      shape: { height: 32, width: 32, channels: 3 },
      trainCount: 50_000,
      classNames: expect.arrayContaining(['cat'])
    })
  })

  it.skipIf(!real.dir)(`reports Fashion-MNIST ready from its folder and counts the runs of each dataset${real.reason}`, async () => {
    await runOn('fashion-mnist')
    await runOn('fashion-mnist')
    const { svc } = service()
    const fashion = await svc.get('fashion-mnist')
    expect(fashion).toMatchObject({ ready: true, problem: null, runCount: 2, location: real.dir, contentHash: null })
  })

  it('lists an imported folder after the built-ins, not ready once its cache file is gone', async () => {
    const { svc } = service({ sources: { importFolder: fakeImport } })
    const added = await svc.addFolder({ name: 'pets', folder: photoFolder() })
    expect(added).toMatchObject({ name: 'pets', source: 'folder', ready: true, classNames: ['cat', 'dog'], trainCount: 4, testCount: 2 })
    expect((await svc.list()).map((d) => d.name)).toEqual(['fashion-mnist', 'mnist', 'kmnist', 'cifar10', 'pets'])
    const { rmSync } = await import('node:fs')
    rmSync(added.location)
    expect(await svc.get('pets')).toMatchObject({
      ready: false,
      problem: expect.stringMatching(/cache file .* is missing; remove the dataset and add the folder again/)
    })
  })

  it('names an unknown dataset', async () => {
    const { svc } = service()
    expect((await rejectionOf(async () => await svc.get('nope'))).message).toMatch(/There is no dataset named nope/)
  })
})

describe('datasets.addFolder', () => {
  it('writes <datasets>/<name>.atds through the folder import and records it with its report', async () => {
    const { svc, events, datasetsDir } = service({ sources: { importFolder: fakeImport } })
    const folder = photoFolder()
    const info = await svc.addFolder({ name: 'pets', folder, size: 8, color: 'rgb' })
    expect(info.location).toBe(join(datasetsDir, 'pets.atds'))
    expect(existsSync(info.location)).toBe(true)
    expect(await store.datasets.get('pets')).toMatchObject({ contentHash: 'a'.repeat(64), report: { from: folder }, source: 'folder' })
    expect(events['datasets.changed']).toEqual([{ name: 'pets' }])
    expect(events['datasets.progress']?.[0]).toMatchObject({ dataset: 'pets', phase: 'decoding', done: 3, total: 6 })
  })

  it('refuses a name already taken (an import or a built-in), a missing folder, a file and bad options, writing nothing', async () => {
    const importFolder = vi.fn(fakeImport)
    const { svc, datasetsDir } = service({ sources: { importFolder } })
    const folder = photoFolder()
    await svc.addFolder({ name: 'pets', folder })
    const file = join(folder, 'notes.txt')
    writeFileSync(file, 'x')
    const cases: [object, RegExp][] = [
      [{ name: 'pets', folder }, /A dataset named pets already exists; choose another name or remove it first/],
      [{ name: 'mnist', folder }, /A dataset named mnist already exists/],
      [{ name: 'new', folder: join(folder, 'missing') }, /The folder .*missing does not exist\. Nothing was imported/],
      [{ name: 'new', folder: file }, /is a file, not a folder/],
      [{ name: 'new', folder, size: 3 }, /size: .*Nothing was imported/],
      [{ name: 'new', folder, testSplit: 1.5 }, /testSplit: .*Nothing was imported/],
      [{ name: 'Bad Name', folder }, /name: use 1–40 lower-case letters/]
    ]
    for (const [request, message] of cases) {
      const error = await rejectionOf(svc.addFolder(request as never))
      expect(error.message).toMatch(message)
      expect((error as { code?: string }).code).toBe('conflict')
    }
    expect(importFolder).toHaveBeenCalledTimes(1)
    expect(readdirSync(datasetsDir)).toEqual(['pets.atds'])
    expect((await store.datasets.list()).map((d) => d.name)).toEqual(['pets'])
  })

  it('a failed import (an empty folder, say) is one clear error and leaves nothing', async () => {
    const { svc, datasetsDir } = service({
      sources: {
        importFolder: async (request) => {
          writeFileSync(request.outFile, 'half')
          throw new DatasetError(request.folder, 'holds no images in class folders — put each class in its own subfolder', {
            code: 'missing'
          })
        }
      }
    })
    const error = await rejectionOf(svc.addFolder({ name: 'empty', folder: photoFolder() }))
    expect(error.message).toMatch(/holds no images in class folders/)
    expect((error as { code?: string }).code).toBe('conflict')
    expect(readdirSync(datasetsDir)).toEqual([])
    expect(await store.datasets.get('empty')).toBeNull()
  })

  it('cancel stops a running import and keeps nothing of it', async () => {
    let started!: () => void
    const running = new Promise<void>((r) => (started = r))
    const { svc, datasetsDir } = service({
      sources: {
        importFolder: (request) =>
          new Promise((_, reject) => {
            writeFileSync(request.outFile + '.tmp', 'partial')
            request.signal?.addEventListener('abort', () => {
              // The real import removes its own temporary file; the service removes the named one.
              reject(new DatasetError(request.folder, 'import cancelled', { code: 'cancelled' }))
            })
            started()
          })
      }
    })
    const importing = svc.addFolder({ name: 'pets', folder: photoFolder() })
    await running
    expect(svc.cancel('pets')).toEqual({ cancelled: true })
    const error = await rejectionOf(importing)
    expect(error.message).toBe('The import of pets was cancelled; nothing of it was kept.')
    expect(await store.datasets.get('pets')).toBeNull()
    expect(readdirSync(datasetsDir).filter((f) => f === 'pets.atds')).toEqual([])
    expect(svc.cancel('pets')).toEqual({ cancelled: false })
  })
})

describe.skipIf(!real.dir)(`datasets.download${real.reason}`, () => {
  /** A download that "fetches" MNIST-shaped files (the real Fashion-MNIST ones) into the folder. */
  const fakeDownload = (gate?: Promise<void>) =>
    vi.fn(async ({ dir, onProgress }: { dir: string; onProgress?: (p: DatasetProgress) => void }) => {
      await gate
      mkdirSync(dir, { recursive: true })
      onProgress?.({
        dataset: 'mnist',
        phase: 'downloading',
        done: 10,
        total: 40,
        unit: 'bytes',
        perSec: 5,
        etaSeconds: null,
        file: 'x.gz'
      })
      for (const f of DATASET_FILES) copyFileSync(join(real.dir!, f.name), join(dir, f.name))
    })

  it('joins a running download, reports progress with an ETA, then records the content hash', async () => {
    let open!: () => void
    const gate = new Promise<void>((r) => (open = r))
    const downloadBuiltin = fakeDownload(gate)
    const loadImages = vi.fn(DEFAULT_SOURCES.loadImages)
    const { svc, events, datasetsDir } = service({
      sources: {
        downloadBuiltin,
        loadImages,
        builtinStatus: (_name, dir) =>
          existsSync(join(dir, DATASET_FILES[0]!.name))
            ? { ready: true, files: [], problem: null, warning: null }
            : { ready: false, files: [], problem: 'not downloaded', warning: null }
      }
    })
    const first = svc.download('mnist')
    const second = svc.download('mnist')
    open()
    const [a, b] = await Promise.all([first, second])
    expect(downloadBuiltin).toHaveBeenCalledTimes(1)
    expect(a).toEqual(b)
    expect(a).toMatchObject({
      name: 'mnist',
      ready: true,
      contentHash: FASHION_HASH,
      location: join(datasetsDir, 'mnist'),
      trainCount: 60_000
    })
    expect(await store.datasets.get('mnist')).toMatchObject({
      source: 'mnist',
      contentHash: FASHION_HASH,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']
    })
    expect(events['datasets.progress']).toEqual([expect.objectContaining({ dataset: 'mnist', perSec: 5, etaSeconds: 6 })])
    expect(events['datasets.changed']).toContainEqual({ name: 'mnist' })
    // The hash and the sample summary came from one read: asking for samples reads nothing again.
    expect((await svc.samples('mnist', 2)).trainPerClass).toEqual(new Array(10).fill(6000))
    expect(loadImages).toHaveBeenCalledTimes(1)
  })

  it('refuses to write into a Fashion-MNIST folder fixed by ATELIER_DATA_DIR', async () => {
    const { svc } = service({ sources: { downloadBuiltin: fakeDownload() } })
    expect((await rejectionOf(svc.download('fashion-mnist'))).message).toMatch(
      /set by ATELIER_DATA_DIR and is used read-only; nothing was changed/
    )
  })
})

describe.skipIf(!real.dir)(`datasets.samples and the test set${real.reason}`, () => {
  it('gives a few images per class and every class count, reading the files once', async () => {
    const loadImages = vi.fn(DEFAULT_SOURCES.loadImages)
    const { svc } = service({ sources: { loadImages } })
    const s = await svc.samples('fashion-mnist', 4)
    expect(s.shape).toEqual({ height: 28, width: 28, channels: 1 })
    expect(s.images).toHaveLength(10)
    for (const imgs of s.images) expect(imgs.length).toBe(4 * 784)
    expect(s.trainPerClass).toEqual(new Array(10).fill(6000))
    expect(s.testPerClass).toEqual(new Array(10).fill(1000))
    const more = await svc.samples('fashion-mnist', 8)
    expect(more.images[0]!.length).toBe(8 * 784)
    expect(loadImages).toHaveBeenCalledTimes(1)
    // Reading the whole of Fashion-MNIST records it, so runs on it show the content hash.
    expect(await store.datasets.get('fashion-mnist')).toMatchObject({ contentHash: FASHION_HASH, location: real.dir })
    const run = await runOn('fashion-mnist')
    expect((await store.runs.get(run.id))?.dataset.contentHash).toBe(FASHION_HASH)
  })

  it('returns a dataset test set with its shape', async () => {
    const { svc } = service()
    const t = await svc.testSet('fashion-mnist')
    expect(t).toMatchObject({ dataset: 'fashion-mnist', shape: { height: 28, width: 28, channels: 1 }, count: 10_000 })
    expect(t.images.length).toBe(10_000 * 784)
  })

  it('refuses samples of a dataset that is not on disk, saying why', async () => {
    const { svc } = service({ fashionDir: tempDir() })
    expect((await rejectionOf(svc.samples('fashion-mnist', 2))).message).toMatch(
      /Dataset fashion-mnist cannot be used now: Missing in .* download the dataset/
    )
  })
})

describe('datasets.remove', () => {
  it('is refused with a count while runs use the dataset; with its runs, removes them, the row and the cache file', async () => {
    const { svc, events } = service({ sources: { importFolder: fakeImport } })
    const info = await svc.addFolder({ name: 'pets', folder: photoFolder() })
    const runs = [(await runOn('pets')).id, (await runOn('pets')).id]
    await runOn('fashion-mnist')
    const refused = await rejectionOf(async () => await svc.remove('pets', false))
    expect(refused.message).toMatch(/^2 runs trained on pets, so it was not removed \(nothing was changed\)/)
    expect(await store.datasets.get('pets')).not.toBeNull()
    expect(existsSync(info.location)).toBe(true)

    expect(await svc.remove('pets', true)).toEqual({ removed: 'pets', runsDeleted: 2 })
    expect(await store.runs.getMany(runs)).toEqual([])
    expect(await store.runs.list()).toHaveLength(1)
    expect(await store.datasets.get('pets')).toBeNull()
    expect(existsSync(info.location)).toBe(false)
    expect(events['datasets.changed']).toContainEqual({ name: 'pets' })
  })

  it("removes a built-in's row and downloaded folder; refuses Fashion-MNIST's folder fixed by ATELIER_DATA_DIR", async () => {
    const { svc, datasetsDir } = service()
    const dir = join(datasetsDir, 'kmnist')
    mkdirSync(dir)
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), 'x')
    await store.datasets.upsert({
      ...(await import('@shared/dataset')).builtinRef('kmnist')!,
      contentHash: 'b'.repeat(64),
      trainCount: 60_000,
      testCount: 10_000,
      location: dir,
      report: null,
      createdAt: 'now'
    })
    expect(await svc.remove('kmnist', false)).toEqual({ removed: 'kmnist', runsDeleted: 0 })
    expect(existsSync(dir)).toBe(false)
    expect(await store.datasets.get('kmnist')).toBeNull()
    expect((await rejectionOf(async () => await svc.remove('fashion-mnist', true))).message).toMatch(
      /set by ATELIER_DATA_DIR .* nothing was removed/
    )
    expect((await rejectionOf(async () => await svc.remove('nope', false))).message).toMatch(/There is no dataset named nope/)
  })
})
