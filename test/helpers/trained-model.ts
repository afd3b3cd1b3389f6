/** A preset model trained briefly on real Fashion-MNIST images, saved as the model store keeps it. */
import type * as tf from '@tensorflow/tfjs'
import { completeHparams } from '@shared/hparams'
import type { PresetId } from '@shared/presets'
import type { Split } from '@main/core/dataset'
import { fit } from '@main/core/trainer/fit'
import { buildModel } from '@main/core/trainer/architectures'
import { modelToArtifacts } from '@main/core/models/load-model'
import { FASHION_INPUT } from './fashion-input'

export interface TrainBrieflyOptions {
  preset: PresetId
  train: Split
  /** How many training images (the first N) to train on for one epoch. */
  images: number
  seed?: number
}

/** Trains one epoch on the first `images` training images; returns the live model and its artifacts. */
export async function trainBriefly(options: TrainBrieflyOptions): Promise<{ model: tf.LayersModel; artifacts: tf.io.ModelArtifacts }> {
  const hp = completeHparams({ preset: options.preset, epochs: 1, batchSize: 64, seed: options.seed ?? 7 })
  if (!hp.ok) throw new Error(JSON.stringify(hp.errors))
  const model = buildModel({ ...FASHION_INPUT, preset: options.preset, seed: hp.value.seed })
  const n = options.images
  await fit({
    model,
    hparams: hp.value,
    source: options.train,
    trainIndices: Uint32Array.from({ length: n - 100 }, (_, i) => i),
    validationIndices: Uint32Array.from({ length: 100 }, (_, i) => n - 100 + i),
    progressIntervalMs: 1e9,
    callbacks: { onProgress: () => {}, onEpoch: () => {}, shouldStop: () => false }
  })
  return { model, artifacts: await modelToArtifacts(model) }
}
