/**
 * The network architectures: builds the untrained tf.js model of a preset or of any architecture
 * file (layers from ./architecture-layers.ts, residual blocks joined here).
 * (Trained models, their files and inference are in ../models.)
 */
import * as tf from '@tensorflow/tfjs'
import type { ImageShape } from '@shared/dataset'
import type { Architecture, Layer } from '@shared/architecture/architecture-schema'
import { inferArchitecture, type InferredRow } from '@shared/architecture/infer-architecture'
import { layerTable, presetArchitecture, type PresetId } from '@shared/presets'
import { CUSTOM_PRESET } from '@shared/hparams'
import { runArchitecture, type ArchitectureSource } from '@shared/run-architecture'
import { layerName, toLayers, type LayerPlace } from './architecture-layers'

interface CommonBuildOptions {
  /** Seeds every initializer and dropout layer, so the same seed gives the same starting weights. */
  seed: number
  /** Input images: the dataset's shape. */
  shape: ImageShape
  /** Outputs, one per class: the dataset's class count. */
  classCount: number
}

/** A preset by id, or a parsed architecture file: one of the two. */
export type BuildModelOptions = CommonBuildOptions &
  ({ preset: PresetId; architecture?: undefined } | { architecture: Architecture; preset?: undefined })

/** What to build for a run's hyperparameters: its preset by id (so a preset's refusal speaks of the preset), or its own architecture. */
export const modelSourceOf = (h: ArchitectureSource): { preset: PresetId } | { architecture: Architecture } =>
  h.preset === CUSTOM_PRESET ? { architecture: runArchitecture(h) } : { preset: h.preset }

/** Inference rows by path, with their index in the table (what seeds the layer). */
type Rows = Map<string, { row: InferredRow; ordinal: number }>

interface BuildContext {
  rows: Rows
  seed: number
  classCount: number
}

const hasResidual = (layers: Layer[]): boolean => layers.some((l) => l.kind === 'residual')

/** A tf.js model name from an architecture's: `cnn-shallow` → `cnn_shallow`, as presets were always named. */
const modelName = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, '_')

/**
 * A fresh, uncompiled model for the preset or architecture; input `[n, height, width, channels]` in
 * [0,1], output one probability per class. The same seed and shape give the same starting weights.
 * Throws, before any tensor exists, the inference's one-line message (naming the layer) when the
 * architecture cannot work on these images, so training never meets a tf.js shape error.
 *
 * Architectures without residual blocks (every preset) build as a `tf.Sequential`, whose layer list
 * (and so each dropout layer's index, which picks its masks) is what it always was; with blocks, a
 * functional model.
 */
export function buildModel(options: BuildModelOptions): tf.LayersModel {
  const { seed, shape, classCount } = options
  // A preset's refusal speaks of the preset ("needs larger images than 8×8"); a file's names its layer.
  if (options.preset !== undefined) layerTable(options.preset, shape, classCount)
  const architecture = options.preset !== undefined ? presetArchitecture(options.preset) : options.architecture
  const inference = inferArchitecture(architecture, { shape, classCount })
  if (!inference.ok) throw new Error(inference.error.message)
  const ctx: BuildContext = { rows: new Map(inference.rows.map((row, ordinal) => [row.path, { row, ordinal }])), seed, classCount }
  const inputShape = [shape.height, shape.width, shape.channels]
  const name = modelName(architecture.name)

  let model: tf.LayersModel
  if (!hasResidual(architecture.layers)) {
    const sequential = tf.sequential({ name })
    architecture.layers.forEach((layer, i) => {
      const place = placeOf(ctx, String(i))
      const layers = toLayers(layer as Exclude<Layer, { kind: 'residual' }>, { ...place, inputShape: i === 0 ? inputShape : undefined })
      layers.forEach((l) => sequential.add(l))
    })
    model = sequential
  } else {
    const input = tf.input({ shape: inputShape, name: 'input' })
    model = tf.model({ name, inputs: input, outputs: applyLayers(architecture.layers, input, '', ctx) })
  }
  const out = model.outputs[0].shape
  if (out[out.length - 1] !== classCount) throw new Error(`architecture ${architecture.name} does not end in ${classCount} classes`)
  return model
}

function placeOf(ctx: BuildContext, path: string): LayerPlace {
  const entry = ctx.rows.get(path)
  // inferArchitecture walked the same layers; a missing row is a bug here, not a user's mistake.
  if (!entry) throw new Error(`no inferred row for layer ${path}`)
  return { path, ordinal: entry.ordinal, seed: ctx.seed, classCount: ctx.classCount }
}

/** Applies `layers` (paths `${prefix}0`, `${prefix}1`, …) to `x`, functionally. */
function applyLayers(layers: Layer[], x: tf.SymbolicTensor, prefix: string, ctx: BuildContext): tf.SymbolicTensor {
  return layers.reduce((current, layer, i) => {
    const path = `${prefix}${i}`
    if (layer.kind === 'residual') return residualBlock(layer.layers, current, path, ctx)
    return toLayers(layer, placeOf(ctx, path)).reduce((t, l) => l.apply(t) as tf.SymbolicTensor, current)
  }, x)
}

/**
 * The block's layers applied to `x`, added to `x` itself — through a projection exactly when the
 * inference gave the block's row one (its parameters): a 1×1 convolution, strided when the block
 * shrinks the image, or a dense layer on flat tensors.
 */
function residualBlock(layers: Layer[], x: tf.SymbolicTensor, path: string, ctx: BuildContext): tf.SymbolicTensor {
  const place = placeOf(ctx, path)
  const { row } = ctx.rows.get(path)!
  const out = applyLayers(layers, x, `${path}.`, ctx)
  const name = layerName('residual', path)
  let shortcut = x
  if (row.params > 0) {
    const kernelInitializer = tf.initializers.glorotUniform({ seed: place.seed + place.ordinal })
    const projection =
      row.outputShape.length === 1
        ? tf.layers.dense({ name: `${name}_projection`, units: row.outputShape[0], kernelInitializer })
        : tf.layers.conv2d({
            name: `${name}_projection`,
            filters: row.outputShape[2],
            kernelSize: 1,
            strides: projectionStride(x.shape.slice(1, 3) as number[], row.outputShape),
            padding: 'same',
            kernelInitializer
          })
    shortcut = projection.apply(x) as tf.SymbolicTensor
  }
  return tf.layers.add({ name: `${name}_add` }).apply([out, shortcut]) as tf.SymbolicTensor
}

/**
 * The stride that takes the block's input side to its inferred output side: with padding 'same' a
 * 1×1 convolution gives ⌈side / stride⌉, and the inference accepted the block only if one stride
 * fits both sides (it refuses otherwise), so the smallest that fits the height is the one.
 */
function projectionStride([height, width]: number[], [outHeight, outWidth]: number[]): number {
  for (let s = 1; s <= Math.max(height, width); s++) if (Math.ceil(height / s) === outHeight && Math.ceil(width / s) === outWidth) return s
  throw new Error(`no 1×1 projection stride takes ${height}×${width} to ${outHeight}×${outWidth}`)
}
