/**
 * A few training images per class from a cache file, for the Datasets view's sample grid, without
 * reading the whole set: the label bytes are read to find each class's images, then only those.
 */
import { open } from 'node:fs/promises'
import { imageBytes, type DatasetSamples } from '@shared/dataset'
import { CACHE_PREAMBLE_BYTES } from './cache-format'
import { readCacheHeader } from './cache-reader'

/** Up to `perClass` training images of each class (the first in path order), and the class counts. */
export async function readCacheSamples(file: string, perClass: number): Promise<DatasetSamples> {
  const header = await readCacheHeader(file)
  const bytes = imageBytes(header.shape)
  const classCount = header.classNames.length
  const fd = await open(file, 'r')
  try {
    const labels = Buffer.alloc(header.trainCount)
    await fd.read(labels, 0, labels.length, CACHE_PREAMBLE_BYTES + header.trainCount * bytes)
    const picked: number[][] = Array.from({ length: classCount }, () => [])
    for (let i = 0; i < labels.length; i++) {
      const list = picked[labels[i]]
      if (list && list.length < perClass) list.push(i)
    }
    const images = await Promise.all(
      picked.map(async (indices) => {
        const out = new Uint8Array(indices.length * bytes)
        for (const [k, i] of indices.entries()) await fd.read(out, k * bytes, bytes, CACHE_PREAMBLE_BYTES + i * bytes)
        return out
      })
    )
    return {
      shape: header.shape,
      classNames: header.classNames,
      images,
      trainPerClass: header.report.trainPerClass,
      testPerClass: header.report.testPerClass
    }
  } finally {
    await fd.close()
  }
}
