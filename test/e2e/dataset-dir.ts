/** The real Fashion-MNIST folder for tests: ATELIER_DATA_DIR, else the shared copy. */
import { existsSync } from 'node:fs'

export const DEFAULT_DATA_DIR = '/work/shared/data/fashion-mnist'

/** Returns the dataset folder; throws (never skips) when it is missing. */
export function datasetDir(): string {
  const dir = process.env['ATELIER_DATA_DIR'] ?? DEFAULT_DATA_DIR
  if (!existsSync(dir)) {
    throw new Error(
      `The Fashion-MNIST files are not at ${dir}. Set ATELIER_DATA_DIR to the folder holding the four official files.`
    )
  }
  return dir
}
