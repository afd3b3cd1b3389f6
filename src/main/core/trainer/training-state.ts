/**
 * Everything training continues from, packed into an Atelier model file and restored from one:
 * weights, Adam's moments and counters (or another optimizer's own state), learning rate, plateau/early-stopping trackers, the
 * best-epoch weights kept for early stopping, and the shuffling generator with the current order.
 */
import * as tf from '@tensorflow/tfjs'
import type { DatasetRef } from '@shared/dataset'
import type { Architecture } from '@shared/architecture/architecture-schema'
import { adamState, type AdamState } from '../tfjs/kernels/adam-update'
import { isAdam } from './optimizers'
import { modelToArtifacts } from '@main/core/models/load-model'
import {
  decodeModelFile,
  encodeModelFile,
  toArrayBuffer,
  type DecodedModelFile,
  type ModelFileKind,
  type ModelFileOwner
} from '@main/core/models/model-file'

/** The owner of files written outside any store (tests, tools): the model store refuses them for every run. */
export const UNOWNED: ModelFileOwner = { runId: 0, storeId: '' }

/** A {@link PlateauTracker}'s counters (best is NaN before the first epoch). */
export interface TrackerState {
  best: number
  bestEpoch: number
  wait: number
}

/** The scalar part of a checkpoint; the tensors travel as binary sections beside it. */
export interface TrainingState {
  /** Completed epochs. */
  epoch: number
  /** Learning rate for the next epoch (after any plateau reduction). */
  learningRate: number
  /** Adam's step count and β powers, stored exactly (recomputing βᵗ would round differently); null for SGD and RMSprop. */
  adam: { iterations: number; accBeta1: number; accBeta2: number } | null
  /** State of the shuffling generator after this epoch's shuffle. */
  rngState: number
  early: TrackerState | null
  plateau: TrackerState | null
  /** Epoch whose weights `bestWeights` holds (0: none). */
  bestEpoch: number
  /** Early stopping ended training after this epoch (a resume goes straight to the test evaluation). */
  stoppedEarly: boolean
}

/** A checkpoint as fit needs it back. */
export interface RestoredTraining {
  state: TrainingState
  /** Training-set order after the last shuffle (the next epoch shuffles this again). */
  order: Uint32Array
  /** Best-epoch weights for early stopping, in `model.getWeights()` order, or null. */
  bestWeights: tf.Tensor[] | null
  /** SGD's or RMSprop's state, for {@link restoreOptimizerWeights} (null for Adam, restored at once). */
  optimizerWeights: OptimizerWeights | null
}

/** A non-Adam optimizer's `getWeights()` as stored: the tensors' bytes and their specs, in order. */
export interface OptimizerWeights {
  data: Uint8Array
  specs: tf.io.WeightsManifestEntry[]
}

/** NaN does not survive JSON; trackers start at NaN. */
const encodeTracker = (t: TrackerState | null) => (t ? { ...t, best: Number.isNaN(t.best) ? null : t.best } : null)
const decodeTracker = (t: { best: number | null; bestEpoch: number; wait: number } | null): TrackerState | null =>
  t ? { ...t, best: t.best ?? Number.NaN } : null

function bytesOf(arrays: ArrayLike<number>[] | Float32Array[]): Uint8Array {
  const total = arrays.reduce((n, a) => n + a.length, 0)
  const out = new Float32Array(total)
  let at = 0
  for (const a of arrays) {
    out.set(a as Float32Array, at)
    at += a.length
  }
  return new Uint8Array(out.buffer)
}

function weightBytes(artifacts: tf.io.ModelArtifacts): Uint8Array {
  const data = artifacts.weightData
  if (!data) throw new Error('the saved model has no weight data')
  return new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data)
}

export interface EncodeModelOptions {
  model: tf.LayersModel
  /** Epoch whose weights the model holds. */
  epoch: number
  owner: ModelFileOwner
  /** The dataset trained on (shape, class names, preprocessing), so predictions prepare images as training did. */
  dataset?: DatasetRef
  /** The architecture the model was built from (a preset's or the run's own), recorded beside the tf.js topology. */
  architecture?: Architecture
}

/** The final model as an Atelier model file (kind `model`). */
export async function encodeModel({ model, epoch, owner, dataset, architecture }: EncodeModelOptions): Promise<Uint8Array> {
  const artifacts = await modelToArtifacts(model)
  return encodeModelFile({
    kind: 'model',
    epoch,
    owner,
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs ?? [],
    sections: { weights: weightBytes(artifacts) },
    extra: { ...(dataset ? { dataset } : {}), ...(architecture ? { architecture } : {}) }
  })
}

export interface EncodeCheckpointOptions {
  model: tf.LayersModel
  optimizer: tf.Optimizer
  /** The variables the optimizer updates, in the train step's order. */
  vars: tf.Variable[]
  state: TrainingState
  order: Uint32Array
  bestWeights: tf.Tensor[] | null
  /** The run and store the checkpoint belongs to. */
  owner: ModelFileOwner
  /** The dataset trained on, recorded as in the final model. */
  dataset?: DatasetRef
  /** The architecture, recorded as in the final model. */
  architecture?: Architecture
}

/** A checkpoint as an Atelier model file (kind `checkpoint`): the model plus everything to continue training. */
export async function encodeCheckpoint(options: EncodeCheckpointOptions): Promise<Uint8Array> {
  const { model, optimizer, vars, state, order, bestWeights, owner, dataset, architecture } = options
  const artifacts = await modelToArtifacts(model)
  const sections: Record<string, Uint8Array> = { weights: weightBytes(artifacts) }
  let optimizerSpecs: tf.io.WeightsManifestEntry[] | null = null
  if (isAdam(optimizer)) {
    const adam = adamState(optimizer)
    const moments = (list: AdamState['accumulatedFirstMoment']) =>
      vars.map((v, i) => (list[i] ? (list[i].variable.dataSync() as Float32Array) : new Float32Array(v.size)))
    sections.adamM = bytesOf(moments(adam.accumulatedFirstMoment))
    sections.adamV = bytesOf(moments(adam.accumulatedSecondMoment))
  } else {
    // Numbered, not tf's process-unique variable names, so equal states give equal files; restored by position.
    const named = await optimizer.getWeights()
    const encoded = await tf.io.encodeWeights(named.map((w, i) => ({ name: `optimizer/${i}`, tensor: w.tensor })))
    tf.dispose(named[0]?.tensor) // the iteration count, a scalar made for this call
    sections.optimizer = new Uint8Array(encoded.data)
    optimizerSpecs = encoded.specs
  }
  sections.order = new Uint8Array(order.buffer.slice(order.byteOffset, order.byteOffset + order.byteLength))
  if (bestWeights) sections.bestWeights = bytesOf(bestWeights.map((t) => t.dataSync() as Float32Array))
  return encodeModelFile({
    kind: 'checkpoint',
    epoch: state.epoch,
    owner,
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs ?? [],
    sections,
    extra: {
      training: { ...state, early: encodeTracker(state.early), plateau: encodeTracker(state.plateau) },
      // Layer names, not tf's process-unique variable names, so equal states give equal files.
      optimizerVariables: model.trainableWeights.map((w) => ({ name: w.originalName, shape: w.shape })),
      ...(optimizerSpecs ? { optimizerState: optimizerSpecs } : {}),
      ...(dataset ? { dataset } : {}),
      ...(architecture ? { architecture } : {})
    }
  })
}

/** The scalar training state of a decoded checkpoint; throws when the file is a final model only. */
export function trainingStateOf(file: DecodedModelFile, kind: ModelFileKind = file.header.kind): TrainingState {
  const raw = file.header.extra.training as (TrainingState & { early: never; plateau: never }) | undefined
  if (kind !== 'checkpoint' || !raw) throw new Error('this file holds a final model, not a checkpoint to continue training from')
  return { ...raw, early: decodeTracker(raw.early), plateau: decodeTracker(raw.plateau) }
}

function floatsOf(section: Uint8Array | undefined, name: string): Float32Array {
  if (!section) throw new Error(`the checkpoint has no ${name} section`)
  return new Float32Array(toArrayBuffer(section))
}

export interface RestoreCheckpointOptions {
  bytes: Uint8Array
  model: tf.LayersModel
  optimizer: tf.Optimizer
  vars: tf.Variable[]
}

/**
 * Puts a checkpoint's weights into `model` and its Adam state into `optimizer` (which must be fresh,
 * created with the same hyperparameters), and returns the rest for fit. Throws a clear error for a
 * damaged file or one that does not fit this model.
 */
export function restoreCheckpoint({ bytes, model, optimizer, vars }: RestoreCheckpointOptions): RestoredTraining {
  const file = decodeModelFile(bytes, 'the checkpoint')
  const state = trainingStateOf(file)
  const weights = tf.io.decodeWeights(toArrayBuffer(file.sections.get('weights') as Uint8Array), file.header.weightSpecs)
  const shapes = model.weights.map((w) => w.shape.map((d) => d ?? 1))
  const names = model.weights.map((w) => w.originalName)
  if (names.some((n) => !weights[n])) {
    tf.dispose(Object.values(weights))
    throw new Error(`the checkpoint does not fit this model: it lacks weights ${names.filter((n) => !weights[n]).join(', ')}`)
  }
  model.setWeights(names.map((n) => weights[n]))
  tf.dispose(Object.values(weights))

  const orderSection = file.sections.get('order')
  if (!orderSection || orderSection.byteLength % 4 !== 0) throw new Error('the checkpoint has no valid training order')
  const order = new Uint32Array(toArrayBuffer(orderSection))
  const bestWeights = readBestWeights(file, shapes)
  if (!isAdam(optimizer)) {
    const data = file.sections.get('optimizer')
    const specs = file.header.extra.optimizerState as tf.io.WeightsManifestEntry[] | undefined
    if (!data || !specs) throw new Error("the checkpoint has no state for this run's optimizer")
    return { state, order, bestWeights, optimizerWeights: { data, specs } }
  }
  const counters = state.adam
  if (!counters) throw new Error("the checkpoint has no Adam state for this run's optimizer")
  const m = floatsOf(file.sections.get('adamM'), 'adamM')
  const v = floatsOf(file.sections.get('adamV'), 'adamV')
  const expected = vars.reduce((n, x) => n + x.size, 0)
  if (m.length !== expected || v.length !== expected) {
    throw new Error(`the checkpoint's optimizer state has ${m.length} values where this model needs ${expected}`)
  }
  const adam = adamState(optimizer)
  let at = 0
  vars.forEach((x, i) => {
    const make = (data: Float32Array, suffix: string) => ({
      originalName: `${x.name}/${suffix}`,
      variable: tf.tidy(() => tf.tensor(data.subarray(at, at + x.size), x.shape, 'float32').variable(false))
    })
    adam.accumulatedFirstMoment[i] = make(m, 'm')
    adam.accumulatedSecondMoment[i] = make(v, 'v')
    at += x.size
  })
  tf.tidy(() => {
    adam.accBeta1.assign(tf.scalar(counters.accBeta1))
    adam.accBeta2.assign(tf.scalar(counters.accBeta2))
  })
  adam.iterations_ = counters.iterations
  adam.learningRate = state.learningRate
  return { state, order, bestWeights, optimizerWeights: null }
}

function readBestWeights(file: DecodedModelFile, shapes: number[][]): tf.Tensor[] | null {
  const best = file.sections.get('bestWeights')
  if (!best) return null
  const flat = floatsOf(best, 'bestWeights')
  const total = shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0)
  if (flat.length !== total) throw new Error("the checkpoint's best-epoch weights do not fit this model")
  let offset = 0
  return shapes.map((s) => {
    const size = s.reduce((a, b) => a * b, 1)
    const t = tf.keep(tf.tensor(flat.subarray(offset, offset + size), s, 'float32'))
    offset += size
    return t
  })
}

/** Puts SGD's or RMSprop's stored state (iteration count and accumulators, by position) into a fresh optimizer. */
export async function restoreOptimizerWeights(optimizer: tf.Optimizer, stored: OptimizerWeights): Promise<void> {
  const map = tf.io.decodeWeights(toArrayBuffer(stored.data), stored.specs)
  await optimizer.setWeights(stored.specs.map((spec) => ({ name: spec.name, tensor: map[spec.name] })))
  // setWeights copied the accumulators into variables; the decoded tensors are ours to free.
  tf.dispose(Object.values(map))
}

/** Adam's counters now, for {@link TrainingState.adam} (null for other optimizers). */
export function adamCounters(optimizer: tf.Optimizer): TrainingState['adam'] {
  if (!isAdam(optimizer)) return null
  const adam = adamState(optimizer)
  return { iterations: optimizer.iterations, accBeta1: adam.accBeta1.dataSync()[0], accBeta2: adam.accBeta2.dataSync()[0] }
}
