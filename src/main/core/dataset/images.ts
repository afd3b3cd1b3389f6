/**
 * Loads any dataset's images for training and drawing: one entry point over the sources (the MNIST
 * family's IDX files, CIFAR-10's binary batches, the cache file a folder import wrote). Images stay
 * uint8 (`count × height × width × channels`, row-major HWC); batches normalise them.
 */
import type { ImageShape } from '@shared/dataset'
import type { DatasetLocation } from '@shared/trainer-protocol'
import { loadCifar10 } from './cifar10'
import { loadDataset, type DatasetPart } from './index'
import { loadCache } from './folder/load-cache'

/** One split: images and their class ids. */
export interface ImageSplit {
  /** `count × imageBytes(shape)` bytes, 0–255. */
  images: Uint8Array
  /** `count` class ids, each below the class count. */
  labels: Uint8Array
  count: number
}

/** What {@link loadImages} returns: the splits asked for, their shape and a digest of their content. */
export interface LoadedImages {
  shape: ImageShape
  classCount: number
  train?: ImageSplit
  test?: ImageSplit
  /** Hex SHA-256 identifying the content (the dataset's content hash when both parts are loaded). */
  checksum: string
}

export interface LoadImagesOptions {
  /** Which splits to load; both by default. */
  parts?: DatasetPart[]
}

/**
 * Loads and checks a dataset from where it is. Throws a `DatasetError` naming the file and what
 * to do when the files are missing, cut off or do not match the shape and class count the location states.
 */
export async function loadImages(location: DatasetLocation, options: LoadImagesOptions = {}): Promise<LoadedImages> {
  const parts = options.parts ?? ['train', 'test']
  let loaded: LoadedImages
  switch (location.kind) {
    case 'idx': {
      const data = await loadDataset(location.dir, { parts, family: location.family })
      loaded = {
        shape: location.ref.shape,
        classCount: location.ref.classNames.length,
        train: data.train,
        test: data.test,
        checksum: data.checksum
      }
      break
    }
    case 'cifar10': {
      const data = await loadCifar10(location.dir, { parts })
      loaded = {
        shape: { height: 32, width: 32, channels: 3 },
        classCount: 10,
        train: data.train,
        test: data.test,
        checksum: data.checksum
      }
      break
    }
    case 'cache':
      loaded = await loadCache(location.file, location.ref, parts)
      break
  }
  return loaded
}
