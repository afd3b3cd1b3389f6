/**
 * Training recipes in the fit loop on WASM with small synthetic data: a default run is bit-identical to
 * training before recipes existed, every optimizer and schedule learns, and a run resumed from a
 * checkpoint ends bit-identical to one trained straight through (the optimizer's state and the
 * schedule's position are carried over).
 */
import { createHash } from 'node:crypto'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { completeHparams, type Hparams } from '@shared/hparams'
import type { Recipe } from '@shared/recipe'
import type { EpochRecord } from '@shared/run'
import { initBackend } from '@main/core/tfjs/backend'
import { fit } from '@main/core/trainer/fit'
import { BatchAugmenter } from '@main/core/trainer/augment-batch'
import { buildModel, modelSourceOf } from '@main/core/trainer/architectures'
import { FASHION_INPUT } from '../../../../helpers/fashion-input'

/** 600 images whose class is written into their brightness, so a net learns them quickly (as in fit.test.ts). */
function learnableData(n = 600): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * 784)
  const labels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    labels[i] = i % 10
    for (let p = 0; p < 784; p++) images[i * 784 + p] = p % 10 === labels[i] ? 200 : (p * 7 + i) % 30
  }
  return { images, labels }
}

const source = { ...learnableData(), shape: FASHION_INPUT.shape }
const validationIndices = Uint32Array.from({ length: 100 }, (_, i) => 500 + i)

function hp(partial: Partial<Omit<Hparams, 'recipe'>> & { recipe?: Partial<Recipe> }): Hparams {
  const r = completeHparams({ preset: 'dense', batchSize: 32, ...partial } as Parameters<typeof completeHparams>[0])
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

const weightsHash = (model: tf.LayersModel): string => {
  const h = createHash('sha256')
  for (const w of model.getWeights()) h.update(Buffer.from((w.dataSync() as Float32Array).buffer))
  return h.digest('hex')
}

interface Trained {
  epochs: EpochRecord[]
  hash: string
  checkpoints: Map<number, Uint8Array>
}

async function train(h: Hparams, options: { trainCount?: number; resumeFrom?: Uint8Array } = {}): Promise<Trained> {
  const model = buildModel({ ...FASHION_INPUT, ...modelSourceOf(h), seed: h.seed })
  const epochs: EpochRecord[] = []
  const checkpoints = new Map<number, Uint8Array>()
  await fit({
    model,
    hparams: h,
    source,
    trainIndices: Uint32Array.from({ length: options.trainCount ?? 200 }, (_, i) => i),
    validationIndices,
    resumeFrom: options.resumeFrom,
    callbacks: {
      onProgress: () => {},
      onEpoch: async (record, checkpoint) => {
        epochs.push(record)
        checkpoints.set(record.epoch, await checkpoint())
      },
      shouldStop: () => false
    }
  })
  const hash = weightsHash(model)
  model.dispose()
  return { epochs, hash, checkpoints }
}

const figures = ({ durationMs: _d, ...rest }: EpochRecord) => rest

describe('training recipes', () => {
  beforeAll(async () => {
    await initBackend('wasm', { threads: 2 })
  })

  it('trains a default run bit-identically to training before recipes existed (Adam, constant rate, no smoothing)', async () => {
    // Weights after 2 epochs (plateau reduction on) as the trainer before recipes produced them, on WASM with
    // 2 threads (measured at eb72865). A default recipe must not change one bit of them.
    const plateau = { enabled: true, monitor: 'val_loss' as const, factor: 0.5, patience: 1, minLr: 1e-5 }
    const dense = await train(hp({ epochs: 2, reduceLrOnPlateau: plateau }))
    expect(dense.hash).toBe('fb03a2b26bd53c97132ed059b241ee1e77851e7f9b8653afd2d1d71d6f655b9e')
    expect(dense.epochs.map((e) => [e.loss, e.valLoss])).toEqual([
      [1.8527743911743164, 1.084380222098092],
      [0.7039093160629273, 0.22744362110383978]
    ])
    // cnn-bn's convolutions run in our native kernels, whose sums (fused multiply-adds on this machine) were
    // reordered when they landed: pinned again then (8386795), with the same recipe code.
    const bn = await train(hp({ preset: 'cnn-bn', epochs: 2, reduceLrOnPlateau: plateau }))
    expect(bn.hash).toBe('e93d8c0f79c2c9ee3213b30ce54475e219da7f1199a1ed05afcebe6fa0420131')
  })

  it.each<[string, Partial<Recipe>]>([
    [
      'adamw with weight decay and a cosine schedule after warmup',
      { optimizer: 'adamw', weightDecay: 0.05, schedule: 'cosine', warmupEpochs: 1 }
    ],
    [
      'sgd with Nesterov momentum, L2 and step decay',
      { optimizer: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4, schedule: 'step' }
    ],
    [
      'rmsprop with momentum, one-cycle and label smoothing',
      { optimizer: 'rmsprop', momentum: 0.5, schedule: 'onecycle', labelSmoothing: 0.1 }
    ]
  ])('%s: learns, and resumes bit-identically from a checkpoint', async (_name, recipe) => {
    const lr = recipe.optimizer === 'sgd' ? 0.05 : 0.001
    const h = hp({ epochs: 3, learningRate: lr, recipe })
    const straight = await train(h, { trainCount: 500 })
    expect(straight.epochs[2].valAccuracy).toBeGreaterThan(0.8)
    const resumed = await train(h, { trainCount: 500, resumeFrom: straight.checkpoints.get(1) })
    expect(resumed.epochs.map(figures)).toEqual(straight.epochs.slice(1).map(figures))
    expect(resumed.hash).toBe(straight.hash)
  })

  it('augmentation (shift, flip, erase) changes the training and resumes bit-identically from a checkpoint', async () => {
    // (This data's class is a column pattern that shifts and flips destroy, so it is not asked to learn here.)
    const h = hp({ epochs: 3, recipe: { augment: { shift: 3, flip: true, erase: 0.5 } } })
    const apply = vi.spyOn(BatchAugmenter.prototype, 'apply')
    const straight = await train(h, { trainCount: 500 })
    // Training batches only (16 per epoch), never the validation images.
    expect(apply.mock.calls.map(([, n, draw]) => [n, draw.epoch, draw.batch])).toEqual(
      [1, 2, 3].flatMap((epoch) => Array.from({ length: 16 }, (_, batch) => [batch === 15 ? 500 - 15 * 32 : 32, epoch, batch]))
    )
    apply.mockRestore()
    expect(straight.epochs.every((e) => Number.isFinite(e.loss) && Number.isFinite(e.valLoss))).toBe(true)
    const plain = await train(hp({ epochs: 3 }), { trainCount: 500 })
    expect(straight.hash).not.toBe(plain.hash)
    for (const after of [1, 2]) {
      const resumed = await train(h, { trainCount: 500, resumeFrom: straight.checkpoints.get(after) })
      expect(resumed.epochs.map(figures)).toEqual(straight.epochs.slice(after).map(figures))
      expect(resumed.hash).toBe(straight.hash)
    }
  })

  it('records the scheduled rate of each epoch, composed with the initial rate', async () => {
    const { epochs } = await train(hp({ epochs: 4, learningRate: 0.01, recipe: { schedule: 'step', warmupEpochs: 1 } }))
    // Warmup ends at full rate; the step schedule runs over epochs 2–4 (×0.1 from half way, ×0.01 from three quarters).
    const expected = [0.01, 0.01, 0.001, 0.0001]
    epochs.forEach((e, i) => expect(e.learningRate).toBeCloseTo(expected[i], 12))
  })

  it('label smoothing raises the loss floor: a confident right answer still costs something', async () => {
    const plain = await train(hp({ epochs: 3 }), { trainCount: 500 })
    const smoothed = await train(hp({ epochs: 3, recipe: { labelSmoothing: 0.2 } }), { trainCount: 500 })
    expect(smoothed.epochs[2].valAccuracy).toBeGreaterThan(0.8)
    expect(smoothed.epochs[2].loss).toBeGreaterThan(plain.epochs[2].loss + 0.2)
  })
})
