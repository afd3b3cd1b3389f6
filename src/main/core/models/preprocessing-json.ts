/**
 * The small JSON an exported model carries beside it (`<name>.preprocessing.json` next to an ONNX
 * file, `preprocessing.json` in a TF.js folder or zip, and the same text in the ONNX model's
 * `atelier_preprocessing` metadata entry): what the model takes, how a picture becomes that input,
 * and what its outputs mean. Enough to use the model outside Atelier.
 */
import type { DatasetRef, ImageShape } from '@shared/dataset'

/** Format tag of the JSON. */
export const PREPROCESSING_FORMAT = 'atelier-preprocessing/1'

export interface PreprocessingJson {
  format: typeof PREPROCESSING_FORMAT
  input: {
    /** Tensor name in the ONNX graph (TF.js models take the tensor positionally). */
    name: string
    /** `[N, height, width, channels]`, N the batch size. */
    shape: ['N', number, number, number]
    layout: 'NHWC'
    dtype: 'float32'
  }
  output: { name: string; shape: ['N', number]; meaning: string }
  colorMode: 'gray' | 'rgb'
  fit: 'ink-box' | 'cover'
  /** The fit rule in words. */
  fitRule: string
  /** Input value = byte (0–255) × scale. */
  scale: number
  scaling: string
  classNames: string[]
  dataset: { name: string; title: string; contentHash: string | null }
}

const FIT_RULES = {
  'ink-box':
    'grayscale (0.299 R + 0.587 G + 0.114 B, transparency as white); inverted when the border is light, so the object is light on black; ' +
    'the bounding box of the ink is scaled so its longest edge fits (aspect kept) and centred, its strongest ink stretched to 255',
  cover:
    'transparency as white; scaled so the shorter side fits, centre-cropped to height × width (mean of the covered area per pixel); ' +
    'for gray, 0.299 R + 0.587 G + 0.114 B'
} as const

export interface PreprocessingJsonOptions {
  dataset: DatasetRef
  /** The model's input shape (from the model itself). */
  shape: ImageShape
  classCount: number
  inputName: string
  outputName: string
}

/** The JSON for a model; class names fall back to indices when the dataset's do not match the outputs. */
export function preprocessingJson({ dataset, shape, classCount, inputName, outputName }: PreprocessingJsonOptions): PreprocessingJson {
  const p = dataset.preprocessing
  const classNames =
    dataset.classNames.length === classCount ? [...dataset.classNames] : Array.from({ length: classCount }, (_, i) => String(i))
  return {
    format: PREPROCESSING_FORMAT,
    input: { name: inputName, shape: ['N', shape.height, shape.width, shape.channels], layout: 'NHWC', dtype: 'float32' },
    output: { name: outputName, shape: ['N', classCount], meaning: 'class probabilities (softmax), indexed like classNames' },
    colorMode: shape.channels === 3 ? 'rgb' : 'gray',
    fit: p.fit,
    fitRule: FIT_RULES[p.fit],
    scale: p.scale,
    scaling: `input = byte × ${p.scale}${Math.abs(p.scale - 1 / 255) < 1e-12 ? ' (byte / 255, in [0, 1])' : ''}`,
    classNames,
    dataset: { name: dataset.name, title: dataset.title, contentHash: dataset.contentHash }
  }
}

/** The JSON as the bytes of a file (pretty-printed, newline at the end). */
export const preprocessingJsonBytes = (json: PreprocessingJson): Uint8Array =>
  new TextEncoder().encode(JSON.stringify(json, null, 2) + '\n')
