/** A few images of each class and the class counts, taken from loaded images (the Datasets view's grid and bar chart). */
import { imageBytes, type DatasetSamples } from '@shared/dataset'
import type { ImageSplit, LoadedImages } from './images'

/** Most images per class the service keeps for the sample grid (the channel's limit). */
export const MAX_SAMPLES_PER_CLASS = 32

function perClass(split: ImageSplit | undefined, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0)
  if (!split) return counts
  for (let i = 0; i < split.count; i++) counts[split.labels[i]!]! += 1
  return counts
}

/**
 * The first `limit` images of each class, training images first and test images after them when a
 * class has too few; each class's images copied out (the loaded buffers can then be freed).
 */
export function takeSamples(loaded: LoadedImages, classNames: string[], limit = MAX_SAMPLES_PER_CLASS): DatasetSamples {
  const bytes = imageBytes(loaded.shape)
  const classCount = Math.max(classNames.length, loaded.classCount)
  const chosen: { split: ImageSplit; index: number }[][] = Array.from({ length: classCount }, () => [])
  for (const split of [loaded.train, loaded.test]) {
    if (!split) continue
    for (let i = 0; i < split.count; i++) {
      const label = split.labels[i]!
      if (chosen[label]!.length >= limit) continue
      chosen[label]!.push({ split, index: i })
    }
  }
  const images = chosen.map((list) => {
    const out = new Uint8Array(list.length * bytes)
    list.forEach(({ split, index }, k) => out.set(split.images.subarray(index * bytes, (index + 1) * bytes), k * bytes))
    return out
  })
  return {
    shape: { ...loaded.shape },
    classNames: [...classNames],
    images,
    trainPerClass: perClass(loaded.train, classCount),
    testPerClass: perClass(loaded.test, classCount)
  }
}

/** The same samples with at most `count` images per class. */
export function limitSamples(samples: DatasetSamples, count: number): DatasetSamples {
  const bytes = imageBytes(samples.shape)
  return { ...samples, images: samples.images.map((imgs) => imgs.slice(0, Math.min(imgs.length, count * bytes))) }
}
