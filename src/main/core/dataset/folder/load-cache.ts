/** The `cache` case of `loadImages`: a folder import's cache file, checked against the run's dataset record. */
import type { DatasetRef } from '@shared/dataset'
import type { DatasetPart } from '../files'
import { DatasetError } from '../errors'
import { readCacheFile } from './cache-reader'

/** What `loadImages` returns, for a cache file (see images.ts). */
export interface LoadedCache {
  shape: DatasetRef['shape']
  classCount: number
  train?: { images: Uint8Array; labels: Uint8Array; count: number }
  test?: { images: Uint8Array; labels: Uint8Array; count: number }
  checksum: string
}

/** Reads `file` and refuses it when its shape, classes or (when both parts are read) content differ from `ref`. */
export async function loadCache(file: string, ref: DatasetRef, parts: DatasetPart[]): Promise<LoadedCache> {
  const content = await readCacheFile(file, parts)
  const { shape, classNames, contentHash } = content.header
  const same =
    shape.height === ref.shape.height &&
    shape.width === ref.shape.width &&
    shape.channels === ref.shape.channels &&
    classNames.length === ref.classNames.length &&
    (ref.contentHash === null || contentHash === ref.contentHash)
  if (!same) {
    throw new DatasetError(
      file,
      `holds ${shape.height}×${shape.width}×${shape.channels} images of ${classNames.length} classes (content ${contentHash.slice(0, 12)}), not the dataset '${ref.name}' was recorded with (${ref.shape.height}×${ref.shape.width}×${ref.shape.channels}, ${ref.classNames.length} classes${ref.contentHash ? `, content ${ref.contentHash.slice(0, 12)}` : ''}); import the folder again under a new name`,
      { code: 'corrupt' }
    )
  }
  return { shape, classCount: classNames.length, train: content.train, test: content.test, checksum: content.checksum }
}
