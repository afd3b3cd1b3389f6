/** The training loop on the WASM backend with small synthetic data: callbacks, LR reduction, early stopping, no leaks. */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { completeHparams, type Hparams } from '@shared/hparams'
import type { EpochRecord } from '@shared/run'
import { initBackend } from '@main/core/tfjs/backend'
import { fit } from '@main/core/trainer/fit'
import { buildModel, modelSourceOf } from '@main/core/trainer/architectures'
import { FASHION_INPUT } from '../../../../helpers/fashion-input'

/** 600 images whose class is written into their brightness, so a dense net learns them quickly. */
function learnableData(n = 600): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * 784)
  const labels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    labels[i] = i % 10
    for (let p = 0; p < 784; p++) images[i * 784 + p] = p % 10 === labels[i] ? 200 : (p * 7 + i) % 30
  }
  return { images, labels }
}

function hp(partial: Partial<Hparams>): Hparams {
  const r = completeHparams({ preset: 'dense', batchSize: 32, ...partial })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

const source = { ...learnableData(), shape: FASHION_INPUT.shape }
const trainIndices = Uint32Array.from({ length: 500 }, (_, i) => i)
const validationIndices = Uint32Array.from({ length: 100 }, (_, i) => 500 + i)

async function train(h: Hparams, shouldStop = () => false) {
  const model = buildModel({ ...FASHION_INPUT, ...modelSourceOf(h), seed: h.seed })
  const epochs: EpochRecord[] = []
  const tensorsAfterEpoch: number[] = []
  let progressCalls = 0
  const result = await fit({
    model,
    hparams: h,
    source,
    trainIndices,
    validationIndices,
    progressIntervalMs: 0,
    callbacks: {
      onProgress: () => progressCalls++,
      onEpoch: (r) => {
        epochs.push(r)
        tensorsAfterEpoch.push(tf.memory().numTensors)
      },
      shouldStop
    }
  })
  model.dispose()
  return { result, epochs, tensorsAfterEpoch, progressCalls }
}

describe('fit', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it('learns, reports every batch and epoch, and leaks no tensors across epochs', async () => {
    const before = tf.memory().numTensors
    const { result, epochs, tensorsAfterEpoch, progressCalls } = await train(hp({ epochs: 4 }))
    expect(result).toMatchObject({ status: 'completed', epochsRun: 4 })
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4])
    expect(progressCalls).toBe(4 * Math.ceil(500 / 32))
    expect(epochs[3].valAccuracy).toBeGreaterThan(0.9)
    expect(new Set(tensorsAfterEpoch.slice(1)).size).toBe(1)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('lowers the learning rate on a plateau and records it per epoch', async () => {
    // A huge rate makes validation loss stall at once; patience 1 then halves it each epoch down to the floor.
    const { epochs } = await train(
      hp({ epochs: 5, learningRate: 0.5, reduceLrOnPlateau: { enabled: true, monitor: 'val_loss', factor: 0.5, patience: 1, minLr: 0.1 } })
    )
    const rates = epochs.map((e) => e.learningRate)
    expect(rates[0]).toBe(0.5)
    expect(rates.some((r) => r < 0.5)).toBe(true)
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.1)
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThanOrEqual(rates[i - 1])
  })

  it('stops early when the monitored metric stops improving', async () => {
    const { result, epochs } = await train(
      hp({
        epochs: 30,
        learningRate: 0.5,
        earlyStopping: { enabled: true, monitor: 'val_accuracy', patience: 2, restoreBestWeights: true }
      })
    )
    expect(result.stoppedEarly).toBe(true)
    expect(epochs.length).toBeLessThan(30)
    const best = Math.max(...epochs.map((e) => e.valAccuracy))
    expect(epochs.find((e) => e.epoch === result.weightsFromEpoch)?.valAccuracy).toBe(best)
  })

  it('stops at the next batch when asked and says so', async () => {
    let batches = 0
    const { result, epochs } = await train(hp({ epochs: 3 }), () => ++batches > 20)
    expect(result.status).toBe('cancelled')
    expect(epochs).toHaveLength(1)
  })
})
