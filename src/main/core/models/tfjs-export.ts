/**
 * The TF.js Layers format of a stored model: `model.json` (topology + weights manifest) and one
 * weights file, loadable with `tf.loadLayersModel('…/model.json')`. As a folder (CLI) or a zip of
 * the two files (the app's save dialog offers one file, which also works from a browser download).
 */
import * as tf from '@tensorflow/tfjs'
import { zipSync } from 'fflate'

export const TFJS_WEIGHTS_FILE = 'group1-shard1of1.bin'
/** The preprocessing JSON beside `model.json` (see preprocessing-json.ts). */
export const TFJS_PREPROCESSING_FILE = 'preprocessing.json'

export interface TfjsFiles {
  /** The `model.json` text. */
  modelJson: string
  /** The weight bytes `model.json` points at as {@link TFJS_WEIGHTS_FILE}. */
  weights: Uint8Array
  /** The {@link TFJS_PREPROCESSING_FILE} bytes, when given. */
  preprocessing?: Uint8Array
}

export interface TfjsExportOptions {
  artifacts: tf.io.ModelArtifacts
  /** Stored in `model.json`'s `userDefinedMetadata` (class names, run id…). */
  metadata?: Record<string, unknown>
  /** The preprocessing JSON file's bytes, written beside `model.json`. */
  preprocessing?: Uint8Array
}

/** The files of the Layers format (and the preprocessing JSON). Throws when the artifacts carry no topology or weights. */
export function tfjsFiles({ artifacts, metadata, preprocessing }: TfjsExportOptions): TfjsFiles {
  if (!artifacts.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('the stored model has no topology or weights; it cannot be exported')
  }
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
  const modelJson = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: 'Atelier',
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: artifacts.weightSpecs }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    userDefinedMetadata: { ...(artifacts.userDefinedMetadata ?? {}), ...(metadata ?? {}) }
  }
  return { modelJson: JSON.stringify(modelJson), weights, ...(preprocessing ? { preprocessing } : {}) }
}

/** A zip holding `model.json`, the weights file and (when there is one) the preprocessing JSON side by side. */
export function tfjsZip(files: TfjsFiles): Uint8Array {
  return zipSync({
    'model.json': new TextEncoder().encode(files.modelJson),
    [TFJS_WEIGHTS_FILE]: files.weights,
    ...(files.preprocessing ? { [TFJS_PREPROCESSING_FILE]: files.preprocessing } : {})
  })
}
