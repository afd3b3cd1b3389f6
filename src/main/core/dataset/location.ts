/** Where each dataset's files live, as the trainer is told (see `DatasetLocation`). */
import { join } from 'node:path'
import { BUILTINS, isBuiltin, type DatasetRef } from '@shared/dataset'
import type { DatasetLocation } from '@shared/trainer-protocol'

export interface DatasetFolders {
  /** Fashion-MNIST's folder (the data folder of Settings, or ATELIER_DATA_DIR). */
  fashionDir: string
  /** Folder of every other dataset: `<datasetsDir>/<name>/` for a built-in, the cache file of an import. */
  datasetsDir: string
}

/** The folder a built-in's official files are kept in. */
export function builtinDir(name: string, folders: DatasetFolders): string {
  return name === 'fashion-mnist' ? folders.fashionDir : join(folders.datasetsDir, name)
}

/**
 * Where the trainer finds `ref`'s images: a built-in's folder, or the cache file recorded for an
 * imported folder (`cacheFile`, from the dataset's row).
 */
export function datasetLocation(ref: DatasetRef, folders: DatasetFolders, cacheFile?: string): DatasetLocation {
  if (isBuiltin(ref.name) && ref.source === ref.name) {
    const dir = builtinDir(ref.name, folders)
    if (ref.name === 'cifar10') return { kind: 'cifar10', dir, ref }
    return { kind: 'idx', family: BUILTINS[ref.name].name as Exclude<typeof ref.name, 'cifar10'>, dir, ref }
  }
  if (!cacheFile) throw new Error(`dataset ${ref.name} has no cache file recorded`)
  return { kind: 'cache', file: cacheFile, ref }
}
