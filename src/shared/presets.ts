/**
 * The four seed models, described as data so the UI, README and trainer share one definition. Each
 * builds for any input shape and class count: the same layers, with the dataset's input and as many
 * outputs as it has classes (see {@link presetLayers}).
 */
import { BUILTINS, DEFAULT_DATASET, type ImageShape } from './dataset'
import { architectureSchema, type Architecture, type LayerInput } from './architecture/architecture-schema'
import { inferArchitecture } from './architecture/infer-architecture'

export const PRESET_IDS = ['dense', 'cnn-shallow', 'cnn-deep', 'cnn-bn'] as const
export type PresetId = (typeof PRESET_IDS)[number]

/** One layer of a preset, in the order it is applied. */
export type LayerSpec =
  | { kind: 'flatten' }
  | { kind: 'dense'; units: number; activation?: 'relu' | 'softmax' }
  /** The last layer: one softmax unit per class of the dataset. */
  | { kind: 'output' }
  | { kind: 'conv2d'; filters: number; kernel: number; padding: 'valid' | 'same'; activation?: 'relu' }
  | { kind: 'maxPool'; size: number }
  | { kind: 'dropout'; rate: number }
  | { kind: 'batchNorm' }
  | { kind: 'relu' }

/** A layer as {@link presetLayers} resolves it for a dataset: the output is a softmax dense layer. */
export type ResolvedLayerSpec = Exclude<LayerSpec, { kind: 'output' }>

export interface PresetInfo {
  id: PresetId
  title: string
  description: string
  /** The layers in order; the last, `output`, has one unit per class of the dataset trained on. */
  layers: LayerSpec[]
}

/** The input shape and class count of the default dataset (Fashion-MNIST): what a preset is described with when no dataset is given. */
const DEFAULT_SHAPE: ImageShape = BUILTINS[DEFAULT_DATASET].shape
const DEFAULT_CLASSES = BUILTINS[DEFAULT_DATASET].classNames.length

const convBlock = (filters: number): LayerSpec[] => [
  { kind: 'conv2d', filters, kernel: 3, padding: 'same' },
  { kind: 'batchNorm' },
  { kind: 'relu' },
  { kind: 'conv2d', filters, kernel: 3, padding: 'same' },
  { kind: 'batchNorm' },
  { kind: 'relu' },
  { kind: 'maxPool', size: 2 },
  { kind: 'dropout', rate: 0.25 }
]

export const PRESETS: Record<PresetId, PresetInfo> = {
  dense: {
    id: 'dense',
    title: 'Dense',
    description: 'Two hidden fully-connected layers of 128 units.',
    layers: [
      { kind: 'flatten' },
      { kind: 'dense', units: 128, activation: 'relu' },
      { kind: 'dense', units: 128, activation: 'relu' },
      { kind: 'output' }
    ]
  },
  'cnn-shallow': {
    id: 'cnn-shallow',
    title: 'Shallow CNN',
    description: 'Two convolutions with max-pooling and dropout.',
    layers: [
      { kind: 'conv2d', filters: 32, kernel: 3, padding: 'valid', activation: 'relu' },
      { kind: 'maxPool', size: 2 },
      { kind: 'conv2d', filters: 64, kernel: 3, padding: 'valid', activation: 'relu' },
      { kind: 'maxPool', size: 2 },
      { kind: 'dropout', rate: 0.25 },
      { kind: 'flatten' },
      { kind: 'dense', units: 128, activation: 'relu' },
      { kind: 'output' }
    ]
  },
  'cnn-deep': {
    id: 'cnn-deep',
    title: 'Deep CNN',
    description: 'Three convolution blocks (32, 64, 128 filters).',
    layers: [
      { kind: 'conv2d', filters: 32, kernel: 3, padding: 'same', activation: 'relu' },
      { kind: 'maxPool', size: 2 },
      { kind: 'conv2d', filters: 64, kernel: 3, padding: 'same', activation: 'relu' },
      { kind: 'maxPool', size: 2 },
      { kind: 'conv2d', filters: 128, kernel: 3, padding: 'same', activation: 'relu' },
      { kind: 'maxPool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 128, activation: 'relu' },
      { kind: 'output' }
    ]
  },
  'cnn-bn': {
    id: 'cnn-bn',
    title: 'CNN + BatchNorm',
    description: 'Two double-conv blocks with batch normalisation and dropout; LR reduction on plateau.',
    layers: [
      ...convBlock(32),
      ...convBlock(64),
      { kind: 'flatten' },
      { kind: 'dense', units: 512 },
      { kind: 'batchNorm' },
      { kind: 'relu' },
      { kind: 'dropout', rate: 0.5 },
      { kind: 'output' }
    ]
  }
}

/** A row of a preset's layer table: what the layer is, its output shape and parameter count. */
export interface LayerRow {
  name: string
  outputShape: number[]
  params: number
}

/** The preset's layers for a dataset of `classCount` classes: `output` becomes a softmax dense layer of that many units. */
export function presetLayers(preset: PresetId, classCount: number = DEFAULT_CLASSES): ResolvedLayerSpec[] {
  if (!Number.isInteger(classCount) || classCount < 2) throw new Error(`a classifier needs at least 2 classes, not ${classCount}`)
  return PRESETS[preset].layers.map((l) => (l.kind === 'output' ? { kind: 'dense', units: classCount, activation: 'softmax' } : l))
}

/** Each preset as an architecture file would state it (the schema's defaults filled in): presets are architectures like any other. */
const PRESET_ARCHITECTURES = Object.fromEntries(
  PRESET_IDS.map((id) => [id, architectureSchema.parse({ name: id, layers: PRESETS[id].layers satisfies LayerInput[] })])
) as Record<PresetId, Architecture>

/** The preset as an architecture (named by its id). */
export const presetArchitecture = (preset: PresetId): Architecture => PRESET_ARCHITECTURES[preset]

/**
 * Output shapes and parameter counts per layer for an input `shape` and `classCount` classes (by
 * default Fashion-MNIST's 28×28×1 and 10), computed without TensorFlow by the architectures' own
 * inference. Throws when the input is too small for the preset's pooling (a side would shrink to nothing).
 */
export function layerTable(preset: PresetId, shape: ImageShape = DEFAULT_SHAPE, classCount: number = DEFAULT_CLASSES): LayerRow[] {
  const result = inferArchitecture(presetArchitecture(preset), { shape, classCount })
  if (!result.ok) {
    const { code, layerName, message } = result.error
    if (code === 'size') {
      throw new Error(
        `the ${PRESETS[preset].title} preset needs larger images than ${shape.height}×${shape.width}: its ${layerName} layer would have no pixels left`
      )
    }
    throw new Error(message)
  }
  return result.rows.map(({ name, outputShape, params }) => ({ name, outputShape, params }))
}

/**
 * Why the preset cannot take images of `shape` (its pooling would shrink a side to nothing), or null
 * when it fits: said before a run is queued and beside the preset, instead of a failure in training.
 */
export function presetMisfit(preset: PresetId, shape: ImageShape, classCount: number): string | null {
  try {
    layerTable(preset, shape, classCount)
    return null
  } catch (error) {
    const message = (error as Error).message
    return message.charAt(0).toUpperCase() + message.slice(1)
  }
}

/** Total parameters (trainable and not) of a preset for an input shape and class count (default Fashion-MNIST's). */
export function parameterCount(preset: PresetId, shape: ImageShape = DEFAULT_SHAPE, classCount: number = DEFAULT_CLASSES): number {
  return layerTable(preset, shape, classCount).reduce((sum, row) => sum + row.params, 0)
}
