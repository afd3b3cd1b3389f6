/** One run inside the trainer process: backend, data, model, fit, test evaluation. */
import type { TrainerEvent, TrainerRequest } from '@shared/trainer-protocol'
import { loadDataset, stratifiedSplit } from '@main/dataset'
import { initBackend } from './backend'
import { fit } from './fit'
import { evaluate, testMetrics } from './metrics'
import { buildModel } from './models'

export interface RunTrainingOptions {
  request: Extract<TrainerRequest, { type: 'start' }>
  post: (event: TrainerEvent) => Promise<void>
  /** True once a cancel request for this run has arrived. */
  isCancelled: () => boolean
}

/** Trains one run and posts every event; resolves after `done` was posted, rejects on failure. */
export async function runTraining({ request, post, isCancelled }: RunTrainingOptions): Promise<void> {
  const { runId, hparams } = request
  const backend = await initBackend(request.backend, { threads: request.threads })
  const data = await loadDataset(request.dataDir, { parts: ['train', 'test'] })
  if (!data.train || !data.test) throw new Error('the dataset loader returned no train or test split')
  await post({ type: 'ready', runId, backend, datasetChecksum: data.checksum })

  const split = stratifiedSplit(data.train.labels, {
    validationFraction: hparams.validationSplit,
    seed: hparams.seed,
    subset: hparams.trainSubset
  })
  const model = buildModel({ preset: hparams.preset, seed: hparams.seed })
  try {
    const result = await fit({
      model,
      hparams,
      source: data.train,
      trainIndices: split.train,
      validationIndices: split.validation,
      callbacks: {
        onProgress: (p) => void post({ type: 'progress', runId, ...p }),
        onEpoch: (record) => void post({ type: 'epoch', runId, record }),
        shouldStop: isCancelled
      }
    })
    if (result.status === 'cancelled') {
      await post({ type: 'done', runId, status: 'cancelled', metrics: null, predictions: null })
      return
    }
    const testIndices = Uint32Array.from({ length: data.test.count }, (_, i) => i)
    const evaluation = evaluate({ model, source: data.test, indices: testIndices, shouldStop: isCancelled })
    if (!evaluation) {
      await post({ type: 'done', runId, status: 'cancelled', metrics: null, predictions: null })
      return
    }
    await post({
      type: 'done',
      runId,
      status: 'completed',
      metrics: testMetrics(evaluation, data.test.labels),
      predictions: evaluation.predictions
    })
  } finally {
    model.dispose()
  }
}
