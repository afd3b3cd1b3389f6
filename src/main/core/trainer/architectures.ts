/**
 * The network architectures: builds a preset's untrained tf.js model from its shared layer description.
 * (Trained models, their files and inference are in ../models.)
 */
import * as tf from '@tensorflow/tfjs'
import { BUILTINS, DEFAULT_DATASET, type ImageShape } from '@shared/dataset'
import { layerTable, presetLayers, type PresetId, type ResolvedLayerSpec } from '@shared/presets'

export interface BuildModelOptions {
  preset: PresetId
  /** Seeds every initializer, so the same seed gives the same starting weights. */
  seed: number
  /** Input images (default Fashion-MNIST's 28×28×1). */
  shape?: ImageShape
  /** Outputs, one per class (default 10). */
  classCount?: number
}

function toLayer(spec: ResolvedLayerSpec, index: number, seed: number, inputShape: number[] | null): tf.layers.Layer {
  const input = inputShape ? { inputShape } : {}
  const name = `${spec.kind}_${index}`
  const kernelInitializer = tf.initializers.glorotUniform({ seed: seed + index })
  switch (spec.kind) {
    case 'flatten':
      return tf.layers.flatten({ ...input, name })
    case 'dense':
      return tf.layers.dense({ ...input, name, units: spec.units, activation: spec.activation ?? 'linear', kernelInitializer })
    case 'conv2d':
      return tf.layers.conv2d({
        ...input,
        name,
        filters: spec.filters,
        kernelSize: spec.kernel,
        padding: spec.padding,
        activation: spec.activation ?? 'linear',
        kernelInitializer
      })
    case 'maxPool':
      return tf.layers.maxPooling2d({ ...input, name, poolSize: spec.size })
    case 'dropout':
      return tf.layers.dropout({ ...input, name, rate: spec.rate, seed: seed + index })
    case 'batchNorm':
      return tf.layers.batchNormalization({ ...input, name })
    case 'relu':
      return tf.layers.reLU({ ...input, name })
  }
}

/**
 * A fresh, uncompiled model for the preset; input `[n, height, width, channels]` in [0,1], output one
 * probability per class. The same seed and shape give the same starting weights. Throws, before any
 * tensor exists, when the images are too small for the preset.
 */
export function buildModel({
  preset,
  seed,
  shape = BUILTINS[DEFAULT_DATASET].shape,
  classCount = BUILTINS[DEFAULT_DATASET].classNames.length
}: BuildModelOptions): tf.Sequential {
  // Checks the shapes first (a clear message instead of a tf.js shape error).
  layerTable(preset, shape, classCount)
  const model = tf.sequential({ name: preset.replace(/-/g, '_') })
  const inputShape = [shape.height, shape.width, shape.channels]
  presetLayers(preset, classCount).forEach((spec, i) => model.add(toLayer(spec, i, seed, i === 0 ? inputShape : null)))
  const out = model.outputs[0].shape
  if (out[out.length - 1] !== classCount) throw new Error(`preset ${preset} does not end in ${classCount} classes`)
  return model
}
