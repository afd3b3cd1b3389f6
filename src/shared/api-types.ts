/**
 * The data the contract's channels carry (settings, app and dataset status, saved files, queue and
 * storage figures): the shapes, apart from the channel map in api.ts, which re-exports them.
 */
import { z } from 'zod'
import { hparamsSchema } from './hparams'
import { MAX_REPEATS } from './group'
import type { RunDiagnosis } from './run-diagnosis'
import type { ImageShape } from './dataset'
export const THEMES = ['light', 'dark', 'system'] as const

export const settingsSchema = z
  .object({
    /** Folder holding (or receiving) the four Fashion-MNIST files. */
    dataDir: z.string().min(1),
    /** SQLite database file; a change takes effect at the next start. */
    dbPath: z.string().min(1),
    /** How many runs train at once (1 … number of cores). */
    concurrency: z.number().int().min(1).max(64),
    theme: z.enum(THEMES),
    /** What the New run form last started (offered again next time); absent until a run is started there. */
    newRunDefaults: z
      .object({ hparams: hparamsSchema, repeats: z.number().int().min(1).max(MAX_REPEATS) })
      .strict()
      .nullable()
      .optional()
  })
  .strict()
export type Settings = z.infer<typeof settingsSchema>

/** The findings about one run (see `diagnoseRun` in `run-diagnosis.ts`). */
export interface RunDiagnosisEntry {
  runId: number
  /** Most serious first; never empty. */
  diagnoses: RunDiagnosis[]
}

export interface AppInfo {
  version: string
  platform: string
  cores: number
  dataDir: string
  dbPath: string
  /** True when the data folder was fixed by ATELIER_DATA_DIR or a flag and cannot change. */
  dataDirLocked: boolean
  /** True when runs train within WebAssembly's 4 GB here (no tfjs-node), so a batch that cannot fit is refused. */
  memoryBound: boolean
}

export interface DatasetFileStatus {
  name: string
  present: boolean
}

export interface DatasetStatus {
  /** All four files present and readable. */
  ready: boolean
  dir: string
  files: DatasetFileStatus[]
  /** Why the dataset cannot be used, when it cannot. */
  problem: string | null
  /** Set when the files are usable but are not the official Fashion-MNIST files (checksums differ): runs train on them, but their results are not Fashion-MNIST results. */
  warning?: string | null
}

/** A dataset's test set, for drawing images in the renderer by index. */
export interface TestSet {
  /** The dataset it belongs to. */
  dataset: string
  shape: ImageShape
  count: number
  /** `count × imageBytes(shape)` bytes, row-major HWC per image. */
  images: Uint8Array
  labels: Uint8Array
}

export interface SavedFile {
  /** Where the file was written; null when the person cancelled the save dialog. In the browser shell, the downloaded file's name. */
  path: string | null
  /** True when the file went to the browser's downloads (browser shell) rather than through a save dialog. */
  downloaded?: boolean
}

/** Names the import accepts: the four published `.gz` files or the same files decompressed. */
export const DATASET_FILE_NAMES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte'
] as const

/** One dataset file the person picked or dropped. */
export interface DatasetUpload {
  name: (typeof DATASET_FILE_NAMES)[number]
  content: Uint8Array
}

export interface QueueStatus {
  concurrency: number
  running: number[]
  queued: number[]
}

/** Disk used by all runs' model files. */
export interface ModelStorage {
  /** Bytes of final models. */
  model: number
  /** Bytes of checkpoints (what dropping checkpoints of completed runs can free, in part). */
  checkpoint: number
  total: number
  /** Folder the files live in. */
  dir: string
}

/** What dropping checkpoints freed. */
export interface DroppedCheckpoints {
  /** Runs whose checkpoint was deleted. */
  runs: number
  bytes: number
}

export const EXPORT_KINDS = ['png', 'svg', 'csv', 'json'] as const

/** Formats a trained model exports to. */
export const MODEL_FORMATS = ['onnx', 'tfjs'] as const
export type ModelFormat = (typeof MODEL_FORMATS)[number]
