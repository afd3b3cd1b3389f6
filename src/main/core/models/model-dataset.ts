/**
 * The dataset a model was trained on, as its file records it (`extra.dataset` in the header of an
 * `atelier-model/2` file): name, image shape, class names, content hash and preprocessing. Files
 * written before datasets existed record none; they were trained on Fashion-MNIST.
 */
import type { io } from '@tensorflow/tfjs'
import { builtinRef, DEFAULT_DATASET, imageBytes, type DatasetRef, type ImageShape } from '@shared/dataset'
import type { DecodedModelFile } from './model-file'

/** Key of the dataset in the ModelArtifacts' `userDefinedMetadata` handed to inference and export. */
export const ARTIFACTS_DATASET_KEY = 'atelierDataset'

const fashion = (): DatasetRef => builtinRef(DEFAULT_DATASET) as DatasetRef

const isShape = (s: unknown): s is ImageShape => {
  const o = s as ImageShape | null
  return (
    !!o && Number.isInteger(o.height) && Number.isInteger(o.width) && o.height > 0 && o.width > 0 && (o.channels === 1 || o.channels === 3)
  )
}

/** A recorded dataset when it is well-formed, else null (a damaged entry is treated as absent). */
function parseRef(value: unknown): DatasetRef | null {
  const r = value as DatasetRef | null
  if (!r || typeof r !== 'object' || typeof r.name !== 'string' || !isShape(r.shape)) return null
  if (!Array.isArray(r.classNames) || r.classNames.length < 2 || r.classNames.some((c) => typeof c !== 'string')) return null
  const p = r.preprocessing
  if (!p || (p.fit !== 'ink-box' && p.fit !== 'cover') || (p.color !== 'gray' && p.color !== 'rgb') || !(p.scale > 0)) return null
  return r
}

/** The dataset a decoded model file was trained on (Fashion-MNIST for files that record none). */
export function datasetOfModelFile(file: DecodedModelFile): DatasetRef {
  return parseRef(file.header.extra?.dataset) ?? fashion()
}

/** The dataset recorded in ModelArtifacts made by `toModelArtifacts` (Fashion-MNIST when none is). */
export function datasetOfArtifacts(artifacts: io.ModelArtifacts): DatasetRef {
  return parseRef(artifacts.userDefinedMetadata?.[ARTIFACTS_DATASET_KEY]) ?? fashion()
}

/** What a model takes and gives: its input image shape and number of classes. */
export interface ModelInterface {
  shape: ImageShape
  classCount: number
}

/**
 * Input shape and class count from a Keras-style topology (the first layer's `batch_input_shape`, the
 * last dense layer's `units`), falling back to `dataset` where the topology does not say.
 */
export function modelInterface(artifacts: io.ModelArtifacts, dataset: DatasetRef = datasetOfArtifacts(artifacts)): ModelInterface {
  type Layer = { class_name?: string; config?: { batch_input_shape?: (number | null)[]; units?: number } }
  const topology = artifacts.modelTopology as { config?: { layers?: Layer[] } | Layer[] } | undefined
  const config = topology?.config
  const layers: Layer[] = Array.isArray(config) ? config : (config?.layers ?? [])
  const input = layers[0]?.config?.batch_input_shape
  const last = layers.at(-1)
  let shape = dataset.shape
  if (input && input.length === 4 && (input[3] === 1 || input[3] === 3) && input[1] && input[2]) {
    shape = { height: input[1], width: input[2], channels: input[3] }
  }
  const classCount = last?.class_name === 'Dense' && last.config?.units ? last.config.units : dataset.classNames.length
  return { shape, classCount }
}

/** Bytes of one input image of a model. */
export const inputBytes = (m: ModelInterface): number => imageBytes(m.shape)
