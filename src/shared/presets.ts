/** The four seed models, described as data so the UI, README and trainer share one definition. */

export const PRESET_IDS = ['dense', 'cnn-shallow', 'cnn-deep', 'cnn-bn'] as const
export type PresetId = (typeof PRESET_IDS)[number]

/** One layer of a preset, in the order it is applied. */
export type LayerSpec =
  | { kind: 'flatten' }
  | { kind: 'dense'; units: number; activation?: 'relu' | 'softmax' }
  | { kind: 'conv2d'; filters: number; kernel: number; padding: 'valid' | 'same'; activation?: 'relu' }
  | { kind: 'maxPool'; size: number }
  | { kind: 'dropout'; rate: number }
  | { kind: 'batchNorm' }
  | { kind: 'relu' }

export interface PresetInfo {
  id: PresetId
  title: string
  description: string
  layers: LayerSpec[]
}

const INPUT_SHAPE: [number, number, number] = [28, 28, 1]
export const NUM_CLASSES = 10

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
      { kind: 'dense', units: NUM_CLASSES, activation: 'softmax' }
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
      { kind: 'dense', units: NUM_CLASSES, activation: 'softmax' }
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
      { kind: 'dense', units: NUM_CLASSES, activation: 'softmax' }
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
      { kind: 'dense', units: NUM_CLASSES, activation: 'softmax' }
    ]
  }
}

/** A row of a preset's layer table: what the layer is, its output shape and parameter count. */
export interface LayerRow {
  name: string
  outputShape: number[]
  params: number
}

/** Output shapes and parameter counts per layer, computed without TensorFlow. */
export function layerTable(preset: PresetId): LayerRow[] {
  let shape: number[] = [...INPUT_SHAPE]
  const rows: LayerRow[] = []
  for (const layer of PRESETS[preset].layers) {
    let params = 0
    let name: string
    switch (layer.kind) {
      case 'flatten':
        name = 'Flatten'
        shape = [shape.reduce((a, b) => a * b, 1)]
        break
      case 'dense':
        name = `Dense ${layer.units}${layer.activation ? ' ' + layer.activation : ''}`
        params = shape[0] * layer.units + layer.units
        shape = [layer.units]
        break
      case 'conv2d': {
        const [h, w, c] = shape
        const shrink = layer.padding === 'valid' ? layer.kernel - 1 : 0
        name = `Conv2D ${layer.filters} ${layer.kernel}×${layer.kernel} ${layer.padding}${layer.activation ? ' ' + layer.activation : ''}`
        params = layer.kernel * layer.kernel * c * layer.filters + layer.filters
        shape = [h - shrink, w - shrink, layer.filters]
        break
      }
      case 'maxPool':
        name = `MaxPool ${layer.size}×${layer.size}`
        shape = [Math.floor(shape[0] / layer.size), Math.floor(shape[1] / layer.size), shape[2]]
        break
      case 'dropout':
        name = `Dropout ${layer.rate}`
        break
      case 'batchNorm':
        name = 'BatchNorm'
        params = 4 * shape[shape.length - 1]
        break
      case 'relu':
        name = 'ReLU'
        break
    }
    rows.push({ name, outputShape: [...shape], params })
  }
  return rows
}

/** Total parameters (trainable and not) of a preset. */
export function parameterCount(preset: PresetId): number {
  return layerTable(preset).reduce((sum, row) => sum + row.params, 0)
}
