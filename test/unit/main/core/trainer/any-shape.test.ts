/** The trainer on a dataset that is not Fashion-MNIST: 16×16 RGB images of 4 classes, built in memory. */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { completeHparams } from '@shared/hparams'
import { builtinRef, type DatasetRef, type ImageShape } from '@shared/dataset'
import { PRESET_IDS, layerTable, parameterCount } from '@shared/presets'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel } from '@main/core/trainer/architectures'
import { BatchBuilder } from '@main/core/trainer/batches'
import { fit } from '@main/core/trainer/fit'
import { evaluate, testMetrics } from '@main/core/trainer/metrics'
import { decodeModelFile } from '@main/core/models/model-file'
import { datasetOfModelFile } from '@main/core/models/model-dataset'
import { FASHION_INPUT } from '../../../../helpers/fashion-input'

const shape: ImageShape = { height: 16, width: 16, channels: 3 }
const CLASSES = 4
const PIXELS = 16 * 16 * 3

/** Images whose class is their dominant colour channel (class 3: all channels), so a small net learns them. */
function colourData(n: number): { images: Uint8Array; labels: Uint8Array; shape: ImageShape } {
  const images = new Uint8Array(n * PIXELS)
  const labels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const label = i % CLASSES
    labels[i] = label
    for (let p = 0; p < 16 * 16; p++) {
      for (let c = 0; c < 3; c++) {
        const lit = label === 3 || label === c
        images[i * PIXELS + p * 3 + c] = lit ? 150 + ((p * 13 + i) % 100) : (p * 7 + i) % 60
      }
    }
  }
  return { images, labels, shape }
}

const ref: DatasetRef = {
  name: 'colours',
  title: 'Colours',
  source: 'folder',
  shape,
  classNames: ['red', 'green', 'blue', 'white'],
  contentHash: 'abc',
  preprocessing: { fit: 'cover', height: 16, width: 16, color: 'rgb', scale: 1 / 255 }
}

describe('the trainer on 16×16×3 images of 4 classes', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it('builds every preset with the dataset’s input and one output per class', () => {
    for (const preset of PRESET_IDS) {
      const model = buildModel({ ...FASHION_INPUT, preset, seed: 3, shape, classCount: CLASSES })
      expect(model.inputs[0].shape).toEqual([null, 16, 16, 3])
      expect(model.outputs[0].shape).toEqual([null, 4])
      // The shared layer table (New run) counts what tf.js builds.
      expect(model.countParams()).toBe(parameterCount(preset, shape, CLASSES))
      expect(layerTable(preset, shape, CLASSES).at(-1)?.outputShape).toEqual([4])
      model.dispose()
    }
  })

  it('refuses images too small for a preset with a sentence, before building anything', () => {
    expect(() =>
      buildModel({ ...FASHION_INPUT, preset: 'cnn-shallow', seed: 1, shape: { height: 8, width: 8, channels: 1 }, classCount: 2 })
    ).toThrow(/needs larger images than 8×8/)
  })

  it('batches HWC bytes into [n, h, w, c] scaled by the preprocessing', () => {
    const data = colourData(4)
    const builder = new BatchBuilder(3, { scale: 1 / 255 })
    const { xs, labels } = builder.build(data, [2, 0], 0, 2)
    expect(xs.shape).toEqual([2, 16, 16, 3])
    const x = xs.dataSync()
    expect(x[0]).toBeCloseTo(data.images[2 * PIXELS] / 255, 6)
    expect(x[PIXELS + 5]).toBeCloseTo(data.images[5] / 255, 6)
    expect(Array.from(labels.dataSync())).toEqual([2, 0])
    xs.dispose()
    labels.dispose()
  })

  it('learns, evaluates with [n, 4] predictions and a 4×4 confusion matrix, and records the dataset in checkpoints', async () => {
    const data = colourData(400)
    const hp = completeHparams({ preset: 'dense', batchSize: 32, epochs: 3, seed: 5 })
    if (!hp.ok) throw new Error('bad hparams')
    const model = buildModel({ ...FASHION_INPUT, preset: 'dense', seed: 5, shape, classCount: CLASSES })
    let checkpoint: Uint8Array | null = null
    const before = tf.memory().numTensors
    await fit({
      model,
      hparams: hp.value,
      source: data,
      trainIndices: Uint32Array.from({ length: 320 }, (_, i) => i),
      validationIndices: Uint32Array.from({ length: 80 }, (_, i) => 320 + i),
      dataset: ref,
      callbacks: {
        onProgress: () => {},
        onEpoch: async (_record, pack) => {
          checkpoint = await pack()
        },
        shouldStop: () => false
      }
    })
    expect(tf.memory().numTensors).toBe(before)
    const evaluation = evaluate({ model, source: data, indices: Uint32Array.from({ length: 80 }, (_, i) => 320 + i) })!
    expect(evaluation.predictions.probabilities).toHaveLength(80 * 4)
    expect(evaluation.accuracy).toBeGreaterThan(0.9)
    const metrics = testMetrics(evaluation, data.labels.subarray(320))
    expect(metrics.confusion).toHaveLength(4)
    expect(metrics.confusion.every((row) => row.length === 4)).toBe(true)
    expect(metrics.perClass).toHaveLength(4)
    expect(datasetOfModelFile(decodeModelFile(checkpoint!))).toEqual(ref)
    model.dispose()
  })

  it('gives Fashion-MNIST’s shape and 10 classes when none are named (files without a dataset are Fashion-MNIST)', () => {
    const a = buildModel({ ...FASHION_INPUT, preset: 'cnn-shallow', seed: 42 })
    const b = buildModel({ ...FASHION_INPUT, preset: 'cnn-shallow', seed: 42, shape: builtinRef('fashion-mnist')!.shape, classCount: 10 })
    expect(a.inputs[0].shape).toEqual([null, 28, 28, 1])
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()))
    const wb = b.getWeights().map((w) => Array.from(w.dataSync()))
    expect(wa).toEqual(wb)
    a.dispose()
    b.dispose()
  })
})
