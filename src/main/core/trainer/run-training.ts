/** One run inside the trainer process: backend, data, model, fit (fresh or from a checkpoint), test evaluation. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DatasetRef } from '@shared/dataset'
import type { TrainerEvent, TrainerRequest, TrainerResume } from '@shared/trainer-protocol'
import { sha256Hex } from '@main/core/models/model-file'
import { stratifiedSplit } from '@main/core/dataset'
import { loadImages } from '@main/core/dataset/images'
import { initBackend } from '../tfjs/backend'
import { fit } from './fit'
import { evaluate, testMetrics } from './metrics'
import { runArchitecture } from '@shared/run-architecture'
import { buildModel, modelSourceOf } from './architectures'
import { reestimateBatchNorm } from './batch-norm-stats'
import { saveModelFile } from './save-model-file'
import { encodeModel } from './training-state'

export interface RunTrainingOptions {
  request: Extract<TrainerRequest, { type: 'start' }>
  post: (event: TrainerEvent) => Promise<void>
  /** True once a cancel request for this run has arrived. */
  isCancelled: () => boolean
}

function readCheckpoint(dir: string, { file, sha256 }: TrainerResume): Uint8Array {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(join(dir, file))
  } catch (error) {
    throw new Error(`The checkpoint ${join(dir, file)} cannot be read (${(error as Error).message}); the run was left as it was.`)
  }
  // The main side verified this file before queueing the run; it must not have changed since.
  if (sha256 && sha256Hex(bytes) !== sha256) {
    throw new Error(
      `The checkpoint ${join(dir, file)} changed after it was checked (its SHA-256 differs from the recorded one); the run was left as it was.`
    )
  }
  return bytes
}

/** Trains one run and posts every event; resolves after `done` was posted, rejects on failure. */
export async function runTraining({ request, post, isCancelled }: RunTrainingOptions): Promise<void> {
  const { runId, hparams, modelDir } = request
  const owner = { runId, storeId: request.storeId }
  const resumeFrom = request.resume ? readCheckpoint(modelDir, request.resume) : undefined
  const backend = await initBackend(request.backend, { threads: request.threads })
  await post({ type: 'phase', runId, phase: 'loading-data' })
  const data = await loadImages(request.dataset, { parts: ['train', 'test'] })
  if (!data.train || !data.test) throw new Error('the dataset loader returned no train or test split')
  // Recorded in every model file: what the images were, so predictions prepare a picture as training did.
  const dataset: DatasetRef = { ...request.dataset.ref, shape: data.shape, contentHash: request.dataset.ref.contentHash ?? data.checksum }
  const scale = dataset.preprocessing.scale
  await post({ type: 'ready', runId, backend, datasetChecksum: data.checksum })
  await post({ type: 'phase', runId, phase: 'training' })

  const split = stratifiedSplit(data.train.labels, {
    validationFraction: hparams.validationSplit,
    seed: hparams.seed,
    subset: hparams.trainSubset
  })
  const train = { ...data.train, shape: data.shape }
  const model = buildModel({ ...modelSourceOf(hparams), seed: hparams.seed, shape: data.shape, classCount: data.classCount })
  const cancelled = () => post({ type: 'done', runId, status: 'cancelled', metrics: null, predictions: null, model: null })
  try {
    const result = await fit({
      model,
      hparams,
      source: train,
      trainIndices: split.train,
      validationIndices: split.validation,
      resumeFrom,
      resetEarlyStopping: request.resume?.resetEarlyStopping ?? false,
      owner,
      dataset,
      callbacks: {
        onProgress: (p) => void post({ type: 'progress', runId, ...p }),
        onEpoch: async (record, checkpoint) => {
          const written = saveModelFile({ dir: modelDir, kind: 'checkpoint', epoch: record.epoch, bytes: await checkpoint() })
          await post({ type: 'epoch', runId, record, checkpoint: written })
        },
        shouldStop: isCancelled
      }
    })
    if (result.status === 'cancelled') return void (await cancelled())
    // After best weights are back and before the test set and the saved model see it; checkpoints keep
    // the statistics training left, so a resume or "train more" continues exactly as before.
    const hasBatchNorm = model.layers.some((l) => l.getClassName() === 'BatchNormalization')
    if (hasBatchNorm) await post({ type: 'phase', runId, phase: 'batch-norm' })
    const batchNorm = reestimateBatchNorm({
      model,
      source: train,
      trainIndices: split.train,
      batchSize: hparams.batchSize,
      seed: hparams.seed + 2,
      scale
    })
    await post({ type: 'phase', runId, phase: 'evaluating' })
    const testIndices = Uint32Array.from({ length: data.test.count }, (_, i) => i)
    const evaluation = evaluate({
      model,
      source: { ...data.test, shape: data.shape },
      indices: testIndices,
      shouldStop: isCancelled,
      scale
    })
    if (!evaluation) return void (await cancelled())
    const written = saveModelFile({
      dir: modelDir,
      kind: 'model',
      epoch: result.weightsFromEpoch,
      nameEpoch: result.epochsRun,
      bytes: await encodeModel({ model, epoch: result.weightsFromEpoch, owner, dataset, architecture: runArchitecture(hparams) })
    })
    await post({
      type: 'done',
      runId,
      status: 'completed',
      metrics: { ...testMetrics(evaluation, data.test.labels), ...(batchNorm ? { batchNorm } : {}) },
      predictions: evaluation.predictions,
      model: written
    })
  } finally {
    model.dispose()
  }
}
