/**
 * The network architectures: builds a preset's untrained tf.js model from its shared layer description.
 * (Trained models, their files and inference are in ../models.)
 */
import * as tf from '@tensorflow/tfjs'
import { NUM_CLASSES, PRESETS, type LayerSpec, type PresetId } from '@shared/presets'

export interface BuildModelOptions {
  preset: PresetId
  /** Seeds every initializer, so the same seed gives the same starting weights. */
  seed: number
}

function toLayer(spec: LayerSpec, index: number, seed: number, first: boolean): tf.layers.Layer {
  const input = first ? { inputShape: [28, 28, 1] } : {}
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

/** A fresh, uncompiled model for the preset; input `[n, 28, 28, 1]` in [0,1], output 10 probabilities. */
export function buildModel({ preset, seed }: BuildModelOptions): tf.Sequential {
  const model = tf.sequential({ name: preset.replace(/-/g, '_') })
  PRESETS[preset].layers.forEach((spec, i) => model.add(toLayer(spec, i, seed, i === 0)))
  const out = model.outputs[0].shape
  if (out[out.length - 1] !== NUM_CLASSES) throw new Error(`preset ${preset} does not end in ${NUM_CLASSES} classes`)
  return model
}
