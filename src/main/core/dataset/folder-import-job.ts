/**
 * Adding a folder of images as a dataset: the request checked (name free, folder there and not empty),
 * then one import job that writes the dataset's cache file and records it; a failed or cancelled
 * import leaves neither file nor row.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { errorMessage, formatFieldErrors } from '@shared/error-text'
import { toFieldErrors } from '@shared/hparams'
import { folderImportSchema, isBuiltin, type DatasetInfo, type DatasetProgress, type FolderImportOptions } from '@shared/dataset'
import type { DatasetsRepo } from '../store/datasets-repo'
import { conflict } from '../errors'
import type { DatasetJobs } from './dataset-jobs'
import type { DatasetSources } from './dataset-sources'
import { asCoreError, cancelled } from './service-errors'

/** File extension of an imported folder's cache file in the datasets folder. */
export const CACHE_EXTENSION = '.atds'

export interface FolderImportDeps {
  datasets: DatasetsRepo
  jobs: DatasetJobs
  sources: DatasetSources
  /** The folder that holds imported datasets' cache files (read at each import: Settings may move it). */
  datasetsDir: () => string
  /** The progress reporter of a job on the named dataset. */
  reporter: (name: string) => (p: DatasetProgress) => void
  now: () => Date
  /** Tells listeners the named dataset changed. */
  announce: (name: string) => void
  /** The dataset as the app lists it, once imported. */
  info: (name: string) => Promise<DatasetInfo>
}

function parseNewFolder(request: FolderImportOptions): FolderImportOptions {
  const parsed = folderImportSchema.safeParse(request)
  if (!parsed.success) throw conflict(`${formatFieldErrors(toFieldErrors(parsed.error))}. Nothing was imported.`)
  return parsed.data
}

/** `taken`: the store already has a dataset of that name. Synchronous, so the job starts right after the busy check. */
function checkNewFolder(request: FolderImportOptions, taken: boolean, jobs: DatasetJobs): FolderImportOptions {
  const { name, folder } = request
  if (isBuiltin(name) || taken) {
    throw conflict(`A dataset named ${name} already exists; choose another name or remove it first. Nothing was imported.`)
  }
  if (jobs.busy(name)) throw conflict(`A dataset named ${name} is being imported now; choose another name. Nothing was imported.`)
  let isDir: boolean
  try {
    isDir = statSync(folder).isDirectory()
  } catch {
    throw conflict(`The folder ${folder} does not exist. Nothing was imported.`)
  }
  if (!isDir) {
    throw conflict(`${folder} is a file, not a folder; name the folder that holds one subfolder per class. Nothing was imported.`)
  }
  let entries: string[]
  try {
    entries = readdirSync(folder)
  } catch (error) {
    throw conflict(`The folder ${folder} cannot be read (${errorMessage(error)}); check its permissions. Nothing was imported.`)
  }
  if (entries.length === 0) {
    throw conflict(`The folder ${folder} is empty; put one subfolder of images per class in it. Nothing was imported.`)
  }
  return request
}

/** `addFolder(request)`: imports the folder as a new dataset and returns it as listed. */
export function folderImport({ datasets, jobs, sources, datasetsDir, reporter, now, announce, info }: FolderImportDeps) {
  return async function addFolder(request: FolderImportOptions): Promise<DatasetInfo> {
    const parsed = parseNewFolder(request)
    const taken = !isBuiltin(parsed.name) && (await datasets.get(parsed.name)) !== null
    const { name, folder, size, color, testSplit, seed } = checkNewFolder(parsed, taken, jobs)
    const dir = datasetsDir()
    const outFile = join(dir, `${name}${CACHE_EXTENSION}`)
    return jobs.run(name, 'import', async (signal) => {
      try {
        mkdirSync(dir, { recursive: true })
        const made = await sources.importFolder({
          folder: resolve(folder),
          name,
          size,
          color,
          testSplit,
          seed,
          outFile,
          onProgress: reporter(name),
          signal
        })
        if (signal.aborted) throw cancelled(name, 'import')
        await datasets.insert({
          name,
          title: name,
          source: 'folder',
          contentHash: made.contentHash,
          shape: made.shape,
          classNames: made.classNames,
          trainCount: made.trainCount,
          testCount: made.testCount,
          preprocessing: made.preprocessing,
          location: outFile,
          report: made.report,
          createdAt: now().toISOString()
        })
      } catch (error) {
        // Nothing half-made stays: the cache file goes unless a row names it.
        if (!(await datasets.get(name))) rmSync(outFile, { force: true })
        throw asCoreError(error, signal.aborted ? cancelled(name, 'import') : null)
      }
      announce(name)
      return info(name)
    })
  }
}
