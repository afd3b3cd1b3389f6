/** The real Fashion-MNIST folder for the browser specs; they always need it and never skip. */
import { realDataDir } from '../helpers/real-data'

/** Returns the dataset folder; throws (never skips) when it is missing. */
export function datasetDir(): string {
  const { dir, reason } = realDataDir()
  if (!dir) throw new Error(`The end-to-end specs need the real dataset:${reason}`)
  return dir
}
