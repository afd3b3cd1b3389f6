/** Where tests find the real Fashion-MNIST files: ATELIER_DATA_DIR, else `../shared/data/fashion-mnist` beside the repo. */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { builtinRef, DEFAULT_DATASET } from '@shared/dataset'
import type { DatasetLocation } from '@shared/trainer-protocol'

export const DEFAULT_REAL_DIR = resolve(import.meta.dirname, '../../../shared/data/fashion-mnist')

/**
 * The folder with the four real files. Null (with a visible reason) when it is missing outside CI;
 * in CI (`CI=true`) a missing folder throws, so real-data tests never skip silently there.
 */
export function realDataDir(): { dir: string | null; reason: string } {
  const dir = process.env.ATELIER_DATA_DIR || DEFAULT_REAL_DIR
  if (existsSync(join(dir, 'train-images-idx3-ubyte.gz')) || existsSync(join(dir, 'train-images-idx3-ubyte'))) {
    return { dir, reason: '' }
  }
  const reason = `real Fashion-MNIST folder not found at ${dir} (set ATELIER_DATA_DIR)`
  if (process.env.CI === 'true') throw new Error(`${reason} — CI must run the real-data tests`)
  console.warn(`SKIPPED real-data tests: ${reason}`)
  return { dir: null, reason: ` — SKIPPED: ${reason}` }
}

/** Where the trainer finds Fashion-MNIST in `dir` (the location a run on the default dataset is given). */
export function fashionLocation(dir: string): DatasetLocation {
  return { kind: 'idx', family: 'fashion-mnist', dir, ref: builtinRef(DEFAULT_DATASET)! }
}
