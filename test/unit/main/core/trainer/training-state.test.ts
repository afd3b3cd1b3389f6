/**
 * Checkpoints carry the whole training state: training 6 epochs straight equals training 3, keeping
 * the checkpoint, and continuing in a fresh model and optimizer, bit for bit, with learning-rate
 * reduction and early stopping (with best weights) in play.
 */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { completeHparams, type Hparams } from '@shared/hparams'
import { parseArchitecture } from '@shared/architecture/parse-architecture'
import type { EpochRecord } from '@shared/run'
import { decodeModelFile, toModelArtifacts } from '@main/core/models/model-file'
import { initBackend } from '@main/core/tfjs/backend'
import { fit, type FitResult } from '@main/core/trainer/fit'
import { buildModel, modelSourceOf } from '@main/core/trainer/architectures'
import { restoreCheckpoint, trainingStateOf } from '@main/core/trainer/training-state'
import { FASHION_INPUT } from '../../../../helpers/fashion-input'

/**
 * Images whose class shows in their brightness pattern; the last 80 carry other labels than their
 * pattern, so validation loss rises as the model learns: the learning rate is lowered and early
 * stopping keeps best weights, the state a checkpoint must carry.
 */
function data(n = 400): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * 784)
  const labels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const pattern = (i * 7) % 10
    labels[i] = i < 320 ? pattern : (i * 3 + 1) % 10
    for (let p = 0; p < 784; p++) images[i * 784 + p] = p % 10 === pattern ? 90 + ((i * p) % 60) : (p * 13 + i * 31) % 110
  }
  return { images, labels }
}

const source = { ...data(), shape: FASHION_INPUT.shape }
const trainIndices = Uint32Array.from({ length: 320 }, (_, i) => i)
const validationIndices = Uint32Array.from({ length: 80 }, (_, i) => 320 + i)

function hp(epochs: number): Hparams {
  const r = completeHparams({
    preset: 'dense',
    epochs,
    batchSize: 32,
    learningRate: 0.01,
    earlyStopping: { enabled: true, monitor: 'val_loss', patience: 3, restoreBestWeights: true },
    reduceLrOnPlateau: { enabled: true, monitor: 'val_loss', factor: 0.5, patience: 1, minLr: 0.0001 }
  })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

interface Trained {
  result: FitResult
  epochs: EpochRecord[]
  checkpoints: Map<number, Uint8Array>
  weights: Float32Array[]
}

async function train(h: Hparams, resumeFrom?: Uint8Array): Promise<Trained> {
  const model = buildModel({ ...FASHION_INPUT, ...modelSourceOf(h), seed: h.seed })
  const epochs: EpochRecord[] = []
  const checkpoints = new Map<number, Uint8Array>()
  const result = await fit({
    model,
    hparams: h,
    source,
    trainIndices,
    validationIndices,
    progressIntervalMs: 1000,
    resumeFrom,
    callbacks: {
      onProgress: () => undefined,
      onEpoch: async (record, checkpoint) => {
        epochs.push(record)
        checkpoints.set(record.epoch, await checkpoint())
      },
      shouldStop: () => false
    }
  })
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array)
  model.dispose()
  return { result, epochs, checkpoints, weights }
}

const figures = ({ durationMs: _d, ...rest }: EpochRecord) => rest

describe('training state in checkpoints', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it('continuing from the epoch-3 checkpoint reproduces the straight run exactly', async () => {
    const straight = await train(hp(8))
    // The scenario must exercise what the checkpoint carries: a lowered learning rate.
    expect(new Set(straight.epochs.map((e) => e.learningRate)).size).toBeGreaterThan(1)
    expect(straight.result.weightsFromEpoch).toBeLessThan(straight.result.epochsRun)
    const first = await train(hp(8), undefined)
    const ckpt = first.checkpoints.get(3) as Uint8Array
    const state = trainingStateOf(decodeModelFile(ckpt))
    expect(state).toMatchObject({ epoch: 3, adam: { iterations: 30 } })
    const before = tf.memory().numTensors
    const resumed = await train(hp(8), ckpt)
    expect(tf.memory().numTensors).toBe(before)
    expect(resumed.result.resumedAfter).toBe(3)
    expect(resumed.epochs[0].epoch).toBe(4)
    expect([...first.epochs.slice(0, 3), ...resumed.epochs].map(figures)).toEqual(straight.epochs.map(figures))
    expect(resumed.result).toMatchObject({ ...straight.result, resumedAfter: 3 })
    resumed.weights.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(straight.weights[i].buffer))).toBe(true))
    // The last checkpoints are the same bytes: weights, moments, counters, trackers, order, best weights.
    const last = straight.result.epochsRun
    expect(Buffer.from(resumed.checkpoints.get(last) as Uint8Array).equals(Buffer.from(straight.checkpoints.get(last) as Uint8Array))).toBe(
      true
    )
  })

  it('a functional model (residual block, batch norm, dropout) resumes bit for bit, and its files record its architecture', async () => {
    const architecture = parseArchitecture({
      name: 'tiny-residual',
      layers: [
        { kind: 'conv2d', filters: 4, kernel: 3, stride: 2, padding: 'same' },
        {
          kind: 'residual',
          layers: [{ kind: 'conv2d', filters: 4, kernel: 3, padding: 'same', bias: false }, { kind: 'batchNorm' }, { kind: 'relu' }]
        },
        { kind: 'globalAvgPool' },
        { kind: 'dropout', rate: 0.2 },
        { kind: 'output' }
      ]
    })
    if (!architecture.ok) throw new Error(JSON.stringify(architecture.issues))
    const r = completeHparams({ ...hp(4), preset: 'custom', architecture: architecture.architecture })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const straight = await train(r.value)
    const resumed = await train(r.value, straight.checkpoints.get(2))
    expect(resumed.result.resumedAfter).toBe(2)
    expect([...straight.epochs.slice(0, 2), ...resumed.epochs].map(figures)).toEqual(straight.epochs.map(figures))
    resumed.weights.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(straight.weights[i].buffer))).toBe(true))
    const last = straight.result.epochsRun
    expect(Buffer.from(resumed.checkpoints.get(last)!).equals(Buffer.from(straight.checkpoints.get(last)!))).toBe(true)
    expect(decodeModelFile(straight.checkpoints.get(last)!).header.extra.architecture).toEqual(architecture.architecture)
  })

  it('a checkpoint is a tf.js model too: loadLayersModel reads its weights', async () => {
    const { checkpoints } = await train(hp(1))
    const model = buildModel({ ...FASHION_INPUT, preset: 'dense', seed: 1 })
    const optimizer = tf.train.adam(0.01)
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
    restoreCheckpoint({ bytes: checkpoints.get(1) as Uint8Array, model, optimizer, vars })
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(toModelArtifacts(decodeModelFile(checkpoints.get(1) as Uint8Array))))
    const x = tf.tensor4d(source.images.slice(0, 784 * 4), [4, 28, 28, 1]).div(255)
    const a = (model.predict(x) as tf.Tensor).dataSync()
    const b = (loaded.predict(x) as tf.Tensor).dataSync()
    expect([...b]).toEqual([...a])
    x.dispose()
    model.dispose()
    loaded.dispose()
    optimizer.dispose()
  })

  it('refuses a checkpoint of another model with a clear error', async () => {
    const { checkpoints } = await train(hp(1))
    const model = buildModel({ ...FASHION_INPUT, preset: 'cnn-shallow', seed: 42 })
    const optimizer = tf.train.adam(0.01)
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
    expect(() => restoreCheckpoint({ bytes: checkpoints.get(1) as Uint8Array, model, optimizer, vars })).toThrow(
      /the checkpoint does not fit this model: it lacks weights/
    )
    model.dispose()
    optimizer.dispose()
  })
})
