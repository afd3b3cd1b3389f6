/** The dataset as the app sees it: status, download, import and the test set for drawing images. */
import type { DatasetStatus, EventMap, TestSet } from '@shared/api'
import { datasetStatus, downloadDataset, importDataset, loadDataset } from './dataset'
import { conflict } from './errors'

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
    async testSet(): Promise<TestSet> {
      const dir = dataDir()
      if (testSet?.dir !== dir) {
        const data = await loadDataset(dir, { parts: ['test'] })
        if (!data.test) throw new Error('the dataset has no test split')
        testSet = { dir, value: { count: data.test.count, images: data.test.images, labels: data.test.labels } }
      }
      return testSet.value
    }
  }
}

export type DatasetService = ReturnType<typeof createDatasetService>
