/**
 * The Fashion-MNIST calls of the first versions (`dataset.status|download|import|importFiles`), kept for
 * the first dataset screen and Settings; they go through the dataset service's download and import.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatasetStatus, DatasetUpload } from '@shared/api'
import { conflict } from '../errors'
import { DATASET_FILES } from './files'
import { datasetStatus } from './status'

export interface FashionCallsDeps {
  /** Fashion-MNIST's folder now. */
  dir: () => string
  /** Throws when the folder is read-only (ATELIER_DATA_DIR). */
  ensureWritable: () => void
  download: () => Promise<unknown>
  importFrom: (folder: string) => Promise<unknown>
}

export function fashionCalls({ dir, ensureWritable, download, importFrom }: FashionCallsDeps) {
  const status = (): DatasetStatus => datasetStatus(dir())
  return {
    status,
    async fashionDownload(): Promise<DatasetStatus> {
      await download()
      return status()
    },
    async fashionImport(from: string): Promise<DatasetStatus> {
      await importFrom(from)
      return status()
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
          `All four Fashion-MNIST files are needed; missing ${missing.map((f) => f.name).join(', ')}. Nothing was imported and ${dir()} is unchanged; pick the four files together.`
        )
      }
      const staging = await mkdtemp(join(tmpdir(), 'atelier-import-'))
      try {
        for (const file of files) await writeFile(join(staging, file.name), file.content)
        await importFrom(staging)
      } finally {
        await rm(staging, { recursive: true, force: true })
      }
      return status()
    }
  }
}
