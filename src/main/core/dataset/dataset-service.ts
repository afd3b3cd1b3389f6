/** The dataset as the app sees it: status, download, import and the test set for drawing images. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatasetStatus, DatasetUpload, EventMap, TestSet } from '@shared/api'
import { DATASET_FILES, datasetStatus, downloadDataset, importDataset, loadDataset } from './index'
import { conflict } from '../errors'
import { BUILTINS, DEFAULT_DATASET } from '@shared/dataset'

export interface DatasetServiceOptions {
  dataDir: () => string
  /** True when the folder was given by ATELIER_DATA_DIR or a flag: it is read-only to the app. */
  locked: boolean
  emit: <E extends keyof EventMap>(event: E, payload: EventMap[E]) => void
}

export function createDatasetService({ dataDir, locked, emit }: DatasetServiceOptions) {
  let testSet: { dir: string; value: TestSet } | null = null
  let downloading: Promise<DatasetStatus> | null = null

  const ensureWritable = (): void => {
    if (locked) {
      throw conflict(
        `The dataset folder ${dataDir()} was set by ATELIER_DATA_DIR and is used read-only; put the files there yourself or unset the variable.`
      )
    }
  }

  return {
    status: (): DatasetStatus => datasetStatus(dataDir()),
    download(): Promise<DatasetStatus> {
      ensureWritable()
      // A second click while downloading joins the running download instead of racing it.
      downloading ??= downloadDataset({ dir: dataDir(), onProgress: (p) => emit('dataset.progress', p) })
        .then(() => datasetStatus(dataDir()))
        .finally(() => (downloading = null))
      return downloading
    },
    async import(from: string): Promise<DatasetStatus> {
      ensureWritable()
      await importDataset({ from, to: dataDir() })
      testSet = null
      return datasetStatus(dataDir())
    },
    /**
     * Imports files the person picked or dropped (the browser shell has no folder dialog): they are
     * staged in a private temporary folder and go through the same verification as a folder import.
     */
    async importFiles(files: DatasetUpload[]): Promise<DatasetStatus> {
      ensureWritable()
      const names = new Set(files.map((f) => f.name))
      const missing = DATASET_FILES.filter(
        (f) => !names.has(f.name as DatasetUpload['name']) && !names.has(f.rawName as DatasetUpload['name'])
      )
      if (missing.length > 0) {
        throw conflict(
          `All four Fashion-MNIST files are needed; missing ${missing.map((f) => f.name).join(', ')}. Nothing was imported and ${dataDir()} is unchanged; pick the four files together.`
        )
      }
      const staging = await mkdtemp(join(tmpdir(), 'atelier-import-'))
      try {
        for (const file of files) await writeFile(join(staging, file.name), file.content)
        await importDataset({ from: staging, to: dataDir() })
      } finally {
        await rm(staging, { recursive: true, force: true })
      }
      testSet = null
      return datasetStatus(dataDir())
    },
    async testSet(): Promise<TestSet> {
      const dir = dataDir()
      if (testSet?.dir !== dir) {
        const data = await loadDataset(dir, { parts: ['test'] })
        if (!data.test) throw new Error('the dataset has no test split')
        testSet = {
          dir,
          value: {
            dataset: DEFAULT_DATASET,
            shape: BUILTINS[DEFAULT_DATASET].shape,
            count: data.test.count,
            images: data.test.images,
            labels: data.test.labels
          }
        }
      }
      return testSet.value
    }
  }
}

export type DatasetService = ReturnType<typeof createDatasetService>
