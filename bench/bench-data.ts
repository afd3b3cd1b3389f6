/** Training images for the benchmark: the real Fashion-MNIST training set when present, else random bytes. */
import { existsSync } from 'node:fs'
import { loadDataset } from '@main/core/dataset'
import { BUILTINS, imageBytes, type ImageShape } from '@shared/dataset'

export interface BenchImages {
  images: Uint8Array
  labels: Uint8Array
  count: number
  kind: 'real' | 'random'
  /** Fashion-MNIST's image shape (the random stand-in has the same). */
  shape: ImageShape
}

/** The benchmark trains on Fashion-MNIST: its image shape and class count, from the dataset's record. */
export const BENCH_INPUT = { shape: BUILTINS['fashion-mnist'].shape, classCount: BUILTINS['fashion-mnist'].classNames.length }

export const DEFAULT_DATA_DIR = '/work/shared/data/fashion-mnist'

/** Loads the full 60,000-image training set from ATELIER_DATA_DIR, or makes 60,000 random uint8 images. */
export async function benchImages(): Promise<BenchImages> {
  const dir = process.env.ATELIER_DATA_DIR ?? DEFAULT_DATA_DIR
  if (existsSync(dir)) {
    const { train } = await loadDataset(dir, { parts: ['train'] })
    if (train) return { ...train, kind: 'real' }
  }
  const count = 60_000
  const images = new Uint8Array(count * imageBytes(BENCH_INPUT.shape))
  const labels = new Uint8Array(count)
  let s = 42
  for (let i = 0; i < images.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    images[i] = s >>> 24
  }
  for (let i = 0; i < count; i++) labels[i] = i % BENCH_INPUT.classCount
  return { images, labels, count, kind: 'random', shape: BENCH_INPUT.shape }
}
