/**
 * The shallow CNN, trained on WASM exactly as a user's default run would be (3 epochs over the full 60,000
 * training images, batch 64, Adam 1e-3, seed 42), must reach ≥ 88% on the full official 10,000-image test set.
 * Reads the real data from ATELIER_DATA_DIR (default /work/shared/data/fashion-mnist); with CI=true a missing
 * folder fails instead of skipping.
 */
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { loadDataset } from '@main/core/dataset'
import { createRng, shuffleInPlace } from '@main/core/dataset/random'
import { initBackend } from '@main/core/tfjs/backend'
import { BatchBuilder } from '@main/core/trainer/batches'
import { evaluate } from '@main/core/trainer/metrics'
import { buildModel } from '@main/core/trainer/architectures'
import { createTrainStep } from '@main/core/trainer/train-step'
import { FASHION_INPUT } from '../helpers/fashion-input'

const DATA_DIR = process.env.ATELIER_DATA_DIR ?? '/work/shared/data/fashion-mnist'
const available = existsSync(DATA_DIR)
const SEED = 42
const EPOCHS = 3
const BATCH = 64

describe.skipIf(!available && process.env.CI !== 'true')('cnn-shallow accuracy on WASM', () => {
  it('reaches at least 0.88 test accuracy after 3 epochs on the full training set', async () => {
    expect(available, `Fashion-MNIST not found in ${DATA_DIR}; set ATELIER_DATA_DIR`).toBe(true)
    const started = performance.now()
    const backend = await initBackend('wasm')
    const { train, test } = await loadDataset(DATA_DIR)
    if (!train || !test) throw new Error('dataset loaded without its train or test part')
    expect(train.count).toBe(60_000)
    expect(test.count).toBe(10_000)

    const model = buildModel({ ...FASHION_INPUT, preset: 'cnn-shallow', seed: SEED })
    const optimizer = tf.train.adam(1e-3)
    const step = createTrainStep(model, optimizer)
    const builder = new BatchBuilder(BATCH)
    const rng = createRng(SEED + 1)
    const order = Uint32Array.from({ length: train.count }, (_, i) => i)
    let taken = 0
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      shuffleInPlace(order, rng)
      for (let start = 0; start < order.length; start += BATCH) {
        const { xs, labels } = builder.build(train, order, start, BATCH)
        step(xs, labels, taken++)
        xs.dispose()
        labels.dispose()
      }
    }
    const trainedMs = performance.now() - started
    const result = evaluate({ model, source: test, indices: Uint32Array.from({ length: test.count }, (_, i) => i) })
    const totalMs = performance.now() - started
    console.log(
      `cnn-shallow on ${backend.name} (${backend.threads} threads): test accuracy ${result?.accuracy.toFixed(4)}, ` +
        `trained in ${(trainedMs / 1000).toFixed(1)} s (${Math.round((EPOCHS * train.count) / (trainedMs / 1000))} images/s), ` +
        `total ${(totalMs / 1000).toFixed(1)} s`
    )
    expect(result?.accuracy).toBeGreaterThanOrEqual(0.88)
    model.dispose()
    optimizer.dispose()
  })
})
