/**
 * Datasets as named things: the built-in catalogue (Fashion-MNIST, MNIST, KMNIST, CIFAR-10), image
 * folders people import, and what every run, model and view needs to know of the one it used
 * (image shape, class names, content hash). One definition for the core, the trainer, the CLI and the UI.
 */
import { z } from 'zod'

/** Height, width and channels (1 grayscale, 3 RGB) of every image of a dataset; models take this input. */
export interface ImageShape {
  height: number
  width: number
  channels: 1 | 3
}

/** Bytes of one image (height × width × channels, row-major HWC). */
export const imageBytes = (shape: ImageShape): number => shape.height * shape.width * shape.channels

export const BUILTIN_DATASETS = ['fashion-mnist', 'mnist', 'kmnist', 'cifar10'] as const
export type BuiltinDataset = (typeof BUILTIN_DATASETS)[number]
/** Where a dataset came from: one of the official built-ins, or a folder of images. */
export type DatasetSource = BuiltinDataset | 'folder'

/** The default dataset (every run before datasets existed trained on it). */
export const DEFAULT_DATASET: BuiltinDataset = 'fashion-mnist'

/**
 * How a picture becomes a model input, recorded with the dataset and carried by every model trained
 * on it, so `predict` and Try it prepare an arbitrary image exactly as training data was prepared.
 * - `ink-box`: the MNIST family's rule (grayscale, light object on black, bounding box of the ink
 *   scaled to fit and centred; see model-input.ts).
 * - `cover`: scaled so the shorter side fits, centre-cropped to the size, converted to the colour mode.
 * Pixels are then scaled by 1/255 to [0, 1].
 */
export interface Preprocessing {
  fit: 'ink-box' | 'cover'
  height: number
  width: number
  color: 'gray' | 'rgb'
  /** Multiplier applied to the 0–255 bytes. */
  scale: number
}

const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']
/** KMNIST's ten cursive hiragana (classmap.csv of the dataset: o, ki, su, tsu, na, ha, ma, ya, re, wo). */
const KMNIST_CLASSES = ['お', 'き', 'す', 'つ', 'な', 'は', 'ま', 'や', 'れ', 'を']
const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']

/** What is fixed about a built-in dataset before any file of it is on disk. */
export interface BuiltinInfo {
  name: BuiltinDataset
  title: string
  description: string
  shape: ImageShape
  classNames: readonly string[]
  trainCount: number
  testCount: number
  preprocessing: Preprocessing
}

const gray28: ImageShape = { height: 28, width: 28, channels: 1 }
const inkBox: Preprocessing = { fit: 'ink-box', height: gray28.height, width: gray28.width, color: 'gray', scale: 1 / 255 }

export const BUILTINS: Record<BuiltinDataset, BuiltinInfo> = {
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST',
    description: 'Zalando article photos, 28×28 grayscale, 10 classes.',
    shape: gray28,
    classNames: FASHION_CLASSES,
    trainCount: 60_000,
    testCount: 10_000,
    preprocessing: inkBox
  },
  mnist: {
    name: 'mnist',
    title: 'MNIST',
    description: 'Handwritten digits, 28×28 grayscale, 10 classes.',
    shape: gray28,
    classNames: DIGITS,
    trainCount: 60_000,
    testCount: 10_000,
    preprocessing: inkBox
  },
  kmnist: {
    name: 'kmnist',
    title: 'Kuzushiji-MNIST',
    description: 'Cursive Japanese hiragana, 28×28 grayscale, 10 classes.',
    shape: gray28,
    classNames: KMNIST_CLASSES,
    trainCount: 60_000,
    testCount: 10_000,
    preprocessing: inkBox
  },
  cifar10: {
    name: 'cifar10',
    title: 'CIFAR-10',
    description: 'Small colour photos, 32×32 RGB, 10 classes.',
    shape: { height: 32, width: 32, channels: 3 },
    classNames: CIFAR10_CLASSES,
    trainCount: 50_000,
    testCount: 10_000,
    preprocessing: { fit: 'cover', height: 32, width: 32, color: 'rgb', scale: 1 / 255 }
  }
}

export const isBuiltin = (name: string): name is BuiltinDataset => (BUILTIN_DATASETS as readonly string[]).includes(name)

/** Dataset names: lower-case letters, digits and dashes, 1–40 characters, starting with a letter or digit (they name folders and CLI flags). */
export const DATASET_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/
export const datasetNameSchema = z
  .string()
  .regex(DATASET_NAME_PATTERN, { message: 'use 1–40 lower-case letters, digits and dashes, starting with a letter or digit' })

/** Most classes a dataset may have (labels are stored as one byte). */
export const MAX_CLASSES = 256
/** Side limits of an imported folder's images. */
export const MIN_IMPORT_SIDE = 8
export const MAX_IMPORT_SIDE = 256

/** What a run, a model and every view need of the dataset a run trained on. */
export interface DatasetRef {
  name: string
  title: string
  source: DatasetSource
  shape: ImageShape
  classNames: string[]
  /** SHA-256 of the decoded tensors (see src/main/core/dataset/README.md); null until the files were read once. */
  contentHash: string | null
  preprocessing: Preprocessing
}

/** One file an import skipped, and why. */
export interface SkippedFile {
  /** Path relative to the imported folder. */
  file: string
  reason: string
}

/** What an import found, kept with the dataset. */
export interface ImportReport {
  /** Folder or files imported from. */
  from: string
  /** Image files looked at. */
  scanned: number
  /** Images in the dataset (train + test). */
  imported: number
  skipped: SkippedFile[]
  /** Files whose bytes equal an earlier file's (kept once per split, counted here). */
  duplicates: number
  /** Images per class in each split, indexed like the class names. */
  trainPerClass: number[]
  testPerClass: number[]
  /** True when the folder had its own `test/` split; false when it was split off with `testSplit` and `seed`. */
  ownTestSplit: boolean
  testSplit: number | null
  seed: number | null
  seconds: number
}

/** One dataset as the Datasets view and `dataset list` show it. */
export interface DatasetInfo extends DatasetRef {
  description: string
  trainCount: number
  testCount: number
  /** Present and usable; when false, `problem` says why and what to do. */
  ready: boolean
  problem: string | null
  /** Usable but not the official content (checksums differ). */
  warning: string | null
  /** Where its files are. */
  location: string
  /** Runs of this store that trained on it (removing it is refused while there are any, unless they go too). */
  runCount: number
  /** ISO time it was imported (null for a built-in not yet on disk). */
  createdAt: string | null
  report: ImportReport | null
}

/** Options of a folder import (`dataset add`). */
export const folderImportSchema = z
  .object({
    name: datasetNameSchema,
    folder: z.string().min(1),
    /** Square side in pixels; default the smaller of the median side and 64. */
    size: z.number().int().min(MIN_IMPORT_SIDE).max(MAX_IMPORT_SIDE).optional(),
    color: z.enum(['gray', 'rgb']).optional(),
    /** Fraction of each class held out as the test set when the folder has no `test/`; default 0.2. */
    testSplit: z.number().gt(0).lt(1).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional()
  })
  .strict()
export type FolderImportOptions = z.infer<typeof folderImportSchema>

/** Progress of a download or import, pushed as the `dataset.progress` event. */
export interface DatasetProgress {
  dataset: string
  phase: 'downloading' | 'verifying' | 'decoding' | 'writing'
  /** Bytes (downloading) or images (decoding) done and in all; total 0 when unknown. */
  done: number
  total: number
  unit: 'bytes' | 'images'
  perSec: number
  etaSeconds: number | null
  /** File being worked on, when there is one. */
  file?: string
}

/** A few images per class, for the Datasets view's sample grid. */
export interface DatasetSamples {
  shape: ImageShape
  classNames: string[]
  /** Per class, up to `perClass` images of `imageBytes(shape)` bytes each, concatenated. */
  images: Uint8Array[]
  /** Training images per class (the bar chart). */
  trainPerClass: number[]
  testPerClass: number[]
}

/**
 * What a run needs of a built-in dataset when the store has no row for it (its files were never read
 * through this store, as for every run recorded before datasets existed); null for other names.
 */
export function builtinRef(name: string): DatasetRef | null {
  if (!isBuiltin(name)) return null
  const b = BUILTINS[name]
  return {
    name: b.name,
    title: b.title,
    source: b.name,
    shape: { ...b.shape },
    classNames: [...b.classNames],
    contentHash: null,
    preprocessing: { ...b.preprocessing }
  }
}
