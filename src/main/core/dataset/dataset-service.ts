/**
 * Datasets as the app, the browser shell and the CLI see them: list, samples, download and import of
 * the built-ins, folders of images added as new datasets, removal, and the test set for drawing images.
 * The Fashion-MNIST-only `dataset.*` calls of the first versions are kept and go through the same paths.
 */
import { existsSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { EventMap, TestSet } from '@shared/api'
import { errorMessage } from '@shared/error-text'
import {
  BUILTIN_DATASETS,
  BUILTINS,
  builtinRef,
  DEFAULT_DATASET,
  isBuiltin,
  type BuiltinDataset,
  type DatasetInfo,
  type DatasetProgress,
  type DatasetSamples
} from '@shared/dataset'
import type { DatasetLocation } from '@shared/trainer-protocol'
import type { DatasetsRepo } from '../store/datasets-repo'
import type { Dialogs } from '../core-options'
import { conflict } from '../errors'
import { DATASET_FILES } from './files'
import { fashionCalls } from './fashion-calls'
import { builtinDir, datasetLocation, type DatasetFolders } from './location'
import { DEFAULT_SOURCES, type DatasetSources } from './dataset-sources'
import { createDatasetJobs, withEta } from './dataset-jobs'
import { folderImport } from './folder-import-job'
import { builtinInfo, folderInfo, safeBuiltinStatus } from './dataset-info'
import { limitSamples, takeSamples } from './dataset-samples'
import { asCoreError, cancelled, unknownDataset } from './service-errors'
import type { LoadedImages } from './images'

export interface DatasetServiceOptions {
  datasets: DatasetsRepo
  /** Fashion-MNIST's folder and the folder of every other dataset (read at each call: Settings may move the first). */
  folders: () => DatasetFolders
  /** True when Fashion-MNIST's folder was given by ATELIER_DATA_DIR or a flag: it is read-only to the app. */
  locked: boolean
  emit: <E extends keyof EventMap>(event: E, payload: EventMap[E]) => void
  /** The shell's folder dialog (for an import without a folder named). */
  dialogs: Pick<Dialogs, 'openFolder'>
  /** Deletes runs and their model files through the run service (which refuses runs that are training); returns how many. */
  deleteRuns: (ids: number[]) => Promise<number>
  /** The loaders and importers (tests put fakes here). */
  sources?: Partial<DatasetSources>
  now?: () => Date
}

/** What a run needs of its dataset when it starts. */
export interface RunDataset {
  location: DatasetLocation
  /** Images in its training set (a subset may not ask for more). */
  trainCount: number
}

/** Test sets kept in memory (the renderer draws images of a few datasets at a time). */
const TEST_SETS_KEPT = 3

export function createDatasetService(options: DatasetServiceOptions) {
  const { datasets, folders, locked, emit } = options
  const sources: DatasetSources = { ...DEFAULT_SOURCES, ...options.sources }
  const now = options.now ?? (() => new Date())
  const jobs = createDatasetJobs()
  const samplesCache = new Map<string, DatasetSamples>()
  const testSets = new Map<string, TestSet>()

  const dirOf = (name: BuiltinDataset): string => builtinDir(name, folders())
  const keyOf = (location: DatasetLocation): string => `${location.ref.name}\0${location.kind === 'cache' ? location.file : location.dir}`
  const forget = (name: string): void => {
    for (const cache of [samplesCache, testSets]) {
      for (const key of [...cache.keys()]) if (key.startsWith(`${name}\0`)) cache.delete(key)
    }
  }

  const ensureWritable = (name: string): void => {
    if (name === DEFAULT_DATASET && locked) {
      throw conflict(
        `The Fashion-MNIST folder ${dirOf(name)} was set by ATELIER_DATA_DIR and is used read-only; nothing was changed. ` +
          'Put the files there yourself or unset the variable.'
      )
    }
  }

  async function info(name: string): Promise<DatasetInfo> {
    const runCount = (await datasets.runCounts()).get(name) ?? 0
    if (isBuiltin(name)) {
      const dir = dirOf(name)
      return builtinInfo({ name, dir, record: await datasets.get(name), status: safeBuiltinStatus(sources, name, dir), runCount })
    }
    const record = await datasets.get(name)
    if (!record) throw unknownDataset(name)
    return folderInfo(record, runCount)
  }

  async function list(): Promise<DatasetInfo[]> {
    const counts = await datasets.runCounts()
    const records = await datasets.list()
    const builtins = BUILTIN_DATASETS.map((name) => {
      const dir = dirOf(name)
      const record = records.find((r) => r.name === name) ?? null
      return builtinInfo({ name, dir, record, status: safeBuiltinStatus(sources, name, dir), runCount: counts.get(name) ?? 0 })
    })
    const imported = records.filter((r) => !isBuiltin(r.name)).map((r) => folderInfo(r, counts.get(r.name) ?? 0))
    return [...builtins, ...imported]
  }

  /** Where `name`'s images are; throws when the store knows no such dataset. */
  async function locate(name: string): Promise<DatasetLocation> {
    const ref = await datasets.ref(name)
    if (!ref) throw unknownDataset(name)
    return datasetLocation(ref, folders(), (await datasets.get(name))?.location)
  }

  /** The dataset's location and record, refusing one that is not usable now (saying why). */
  async function requireReady(name: string): Promise<{ location: DatasetLocation; info: DatasetInfo }> {
    const current = await info(name)
    if (!current.ready) {
      throw conflict(`Dataset ${name} cannot be used now: ${current.problem ?? 'its files are not there.'}`)
    }
    return { location: await locate(name), info: current }
  }

  /** Records a built-in's content hash (and counts) after its files were read; announced when it changed. */
  async function recordBuiltin(name: string, contentHash: string, counts?: { train: number; test: number }): Promise<void> {
    if (!isBuiltin(name)) return
    const existing = await datasets.get(name)
    const dir = dirOf(name)
    const b = BUILTINS[name]
    const trainCount = counts?.train ?? existing?.trainCount ?? b.trainCount
    const testCount = counts?.test ?? existing?.testCount ?? b.testCount
    if (
      existing?.contentHash === contentHash &&
      existing.location === dir &&
      existing.trainCount === trainCount &&
      existing.testCount === testCount
    ) {
      return
    }
    await datasets.upsert({
      ...builtinRef(name)!,
      contentHash,
      trainCount,
      testCount,
      location: dir,
      report: existing?.report ?? null,
      createdAt: existing?.createdAt ?? now().toISOString()
    })
    emit('datasets.changed', { name })
  }

  /** Keeps the small sample summary of freshly loaded images (the images themselves are not kept). */
  async function remember(location: DatasetLocation, loaded: LoadedImages): Promise<DatasetSamples> {
    const summary = takeSamples(loaded, location.ref.classNames)
    samplesCache.set(keyOf(location), summary)
    if (loaded.train && loaded.test) {
      await recordBuiltin(location.ref.name, loaded.checksum, { train: loaded.train.count, test: loaded.test.count })
    }
    return summary
  }

  /** After a built-in's files were downloaded or imported: read them once for the content hash, then announce it. */
  async function afterBuiltinFiles(name: BuiltinDataset): Promise<DatasetInfo> {
    forget(name)
    try {
      const location = await locate(name)
      await remember(location, await sources.loadImages(location))
    } catch (error) {
      throw asCoreError(error)
    } finally {
      emit('datasets.changed', { name })
    }
    return info(name)
  }

  const reporter = (name: string): ((p: DatasetProgress) => void) =>
    withEta((p) => {
      emit('datasets.progress', p)
      // The first dataset screen still listens to the Fashion-MNIST download's own event.
      if (name === DEFAULT_DATASET && p.unit === 'bytes') {
        emit('dataset.progress', { file: p.file ?? name, bytesDone: p.done, bytesTotal: p.total, bytesPerSec: p.perSec })
      }
    })

  async function download(name: BuiltinDataset): Promise<DatasetInfo> {
    ensureWritable(name)
    return jobs.run(name, 'download', async (signal) => {
      try {
        await sources.downloadBuiltin({ name, dir: dirOf(name), onProgress: reporter(name), signal })
      } catch (error) {
        throw asCoreError(error, signal.aborted ? cancelled(name, 'download') : null)
      }
      return afterBuiltinFiles(name)
    })
  }

  async function importOfficial(name: BuiltinDataset, folder: string | null): Promise<DatasetInfo> {
    const from = folder ?? (await options.dialogs.openFolder({ title: `Folder with the official ${BUILTINS[name].title} files` }))
    if (!from) return info(name)
    ensureWritable(name)
    if (!existsSync(from)) throw conflict(`The folder ${from} does not exist. Nothing was imported.`)
    return jobs.run(name, 'import', async (signal) => {
      try {
        await sources.importBuiltin({ name, from: resolve(from), to: dirOf(name), signal })
      } catch (error) {
        throw asCoreError(error, signal.aborted ? cancelled(name, 'import') : null)
      }
      return afterBuiltinFiles(name)
    })
  }

  const addFolder = folderImport({
    datasets,
    jobs,
    sources,
    datasetsDir: () => folders().datasetsDir,
    reporter,
    now,
    announce: (name) => emit('datasets.changed', { name }),
    info
  })

  async function remove(name: string, withRuns: boolean): Promise<{ removed: string; runsDeleted: number }> {
    const record = await datasets.get(name)
    if (!isBuiltin(name) && !record) throw unknownDataset(name)
    if (jobs.busy(name)) throw conflict(`${name} is being downloaded or imported now; cancel that first. Nothing was removed.`)
    if (name === DEFAULT_DATASET && locked) {
      throw conflict(
        `The Fashion-MNIST folder ${dirOf(name)} was set by ATELIER_DATA_DIR and is used read-only, so it cannot be removed here; nothing was removed.`
      )
    }
    const ids = await datasets.runIds(name)
    if (ids.length > 0 && !withRuns) {
      throw conflict(
        `${ids.length} run${ids.length === 1 ? '' : 's'} trained on ${name}, so it was not removed (nothing was changed). ` +
          'Remove those runs with it, or delete them first.'
      )
    }
    // Runs first (their deletion refuses runs that are training, before anything is gone), then the row, then the files.
    const runsDeleted = ids.length > 0 ? await options.deleteRuns(ids) : 0
    await datasets.remove(name)
    try {
      if (isBuiltin(name)) removeBuiltinFiles(name)
      else if (record) rmSync(record.location, { force: true })
    } catch (error) {
      // The dataset is gone from the store; a file left behind only takes space.
      console.warn(
        `Dataset ${name} was removed, but not all of its files in ${isBuiltin(name) ? dirOf(name) : record?.location} could be deleted (${errorMessage(error)}); delete them by hand.`
      )
    }
    forget(name)
    emit('datasets.changed', { name })
    return { removed: name, runsDeleted }
  }

  function removeBuiltinFiles(name: BuiltinDataset): void {
    const dir = dirOf(name)
    if (name !== DEFAULT_DATASET) {
      rmSync(dir, { recursive: true, force: true })
      return
    }
    // Fashion-MNIST's folder may be one the person chose in Settings: only its four files go.
    for (const file of DATASET_FILES) {
      for (const fileName of [file.name, file.rawName]) rmSync(join(dir, fileName), { force: true })
    }
  }

  async function samples(name: string, perClass: number): Promise<DatasetSamples> {
    const { location } = await requireReady(name)
    const cached = samplesCache.get(keyOf(location))
    if (cached) return limitSamples(cached, perClass)
    return limitSamples(await remember(location, await sources.loadImages(location)), perClass)
  }

  async function testSet(name: string = DEFAULT_DATASET): Promise<TestSet> {
    const { location } = await requireReady(name)
    const key = keyOf(location)
    const cached = testSets.get(key)
    if (cached) return cached
    const loaded = await sources.loadImages(location, { parts: ['test'] })
    if (!loaded.test) throw new Error(`${name}: the dataset has no test split`)
    const value: TestSet = {
      dataset: name,
      shape: loaded.shape,
      count: loaded.test.count,
      images: loaded.test.images,
      labels: loaded.test.labels
    }
    testSets.set(key, value)
    while (testSets.size > TEST_SETS_KEPT) testSets.delete(testSets.keys().next().value!)
    return value
  }

  return {
    list,
    get: info,
    samples,
    download,
    importOfficial,
    addFolder,
    /** Stops a running download or import of `name`; what it made so far is removed. */
    cancel: (name: string): { cancelled: boolean } => ({ cancelled: jobs.cancel(name) }),
    remove,
    testSet,
    /** What a run on `name` needs; refuses a dataset that is unknown or not ready, saying why. */
    async forRun(name: string): Promise<RunDataset> {
      const { location, info: current } = await requireReady(name)
      return { location, trainCount: current.trainCount }
    },
    /** Training images of `name` as recorded (a built-in's official count before it is first loaded); null when unknown. */
    async trainCount(name: string): Promise<number | null> {
      return (await datasets.get(name))?.trainCount ?? (isBuiltin(name) ? BUILTINS[name].trainCount : null)
    },
    /** A run's trainer read the whole of `name` and reported this content hash (recorded for a built-in). */
    loaded(name: string, contentHash: string): Promise<void> {
      return recordBuiltin(name, contentHash)
    },
    // The first Fashion-MNIST calls (the first dataset screen and Settings still use them).
    ...fashionCalls({
      dir: () => dirOf(DEFAULT_DATASET),
      ensureWritable: () => ensureWritable(DEFAULT_DATASET),
      download: () => download(DEFAULT_DATASET),
      importFrom: (from) => importOfficial(DEFAULT_DATASET, from)
    })
  }
}

export type DatasetService = ReturnType<typeof createDatasetService>
