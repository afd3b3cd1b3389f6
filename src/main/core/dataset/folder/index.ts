/**
 * Imports a folder of images (one subfolder per class, optionally under `train/` and `test/`) into one
 * compact cache file of uint8 images; the signature is the contract the dataset service is written against.
 */
import type { DatasetProgress, ImageShape, ImportReport, Preprocessing } from '@shared/dataset'
import { DatasetError } from '../errors'

export interface FolderImportRequest {
  /** The folder to read. */
  folder: string
  /** Dataset name (for messages and progress events). */
  name: string
  /** Square side in pixels; default the smaller of the median side and 64. */
  size?: number
  color?: 'gray' | 'rgb'
  /** Fraction of each class held out for testing when the folder has no `test/`; default 0.2. */
  testSplit?: number
  seed?: number
  /** Cache file to write (atomically: a temporary file renamed into place at the very end). */
  outFile: string
  onProgress?: (progress: DatasetProgress) => void
  signal?: AbortSignal
}

/** What an import made. */
export interface FolderImportResult {
  shape: ImageShape
  classNames: string[]
  trainCount: number
  testCount: number
  /** SHA-256 of the decoded tensors (as `loadImages` computes it for the cache file). */
  contentHash: string
  preprocessing: Preprocessing
  report: ImportReport
}

/** Imports `folder`; throws a {@link DatasetError} (nothing written) when it cannot make a usable dataset. */
export async function importFolder(request: FolderImportRequest): Promise<FolderImportResult> {
  throw new DatasetError(request.folder, 'cannot be imported yet', { code: 'missing' })
}
