/**
 * The training loop. It knows nothing of processes or the UI: progress, epochs and cancellation
 * go through the callbacks it is given.
 */
import * as tf from '@tensorflow/tfjs'
import type { Hparams } from '@shared/hparams'
import type { EpochRecord } from '@shared/run'
import type { TrainerProgress } from '@shared/trainer-protocol'
import { createRng, shuffleInPlace } from '@main/dataset/random'
import { BatchBuilder, type BatchSource } from './batches'
import { evaluate } from './metrics'
import { PlateauTracker } from './plateau'
import { createTrainStep } from './train-step'

export interface FitCallbacks {
  /** Live progress within an epoch, at most every `progressIntervalMs`. */
  onProgress(progress: Omit<TrainerProgress, 'runId'>): void
  /** A finished epoch with its validation metrics. */
  onEpoch(record: EpochRecord): void
  /** Polled between batches; true stops training at once. */
  shouldStop(): boolean
}

export interface FitOptions {
  model: tf.LayersModel
  hparams: Hparams
  source: BatchSource
  trainIndices: Uint32Array
  validationIndices: Uint32Array
  callbacks: FitCallbacks
  progressIntervalMs?: number
}

export interface FitResult {
  status: 'completed' | 'cancelled'
  epochsRun: number
  /** Epoch whose weights the model holds at the end when best weights were restored, else the last. */
  weightsFromEpoch: number
  stoppedEarly: boolean
}

/** Lets queued messages (a cancel request) in between synchronous batches. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Trains `model` with Adam and sparse categorical cross-entropy per `hparams`. */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { model, hparams, source, trainIndices, validationIndices, callbacks } = options
  const interval = options.progressIntervalMs ?? 250
  const optimizer = tf.train.adam(hparams.learningRate)
  const step = createTrainStep(model, optimizer)
  const builder = new BatchBuilder(hparams.batchSize)
  const rng = createRng(hparams.seed + 1)
  const order = Uint32Array.from(trainIndices)
  const batches = Math.ceil(order.length / hparams.batchSize)
  const early = hparams.earlyStopping.enabled ? new PlateauTracker(hparams.earlyStopping.monitor) : null
  const plateau = hparams.reduceLrOnPlateau.enabled ? new PlateauTracker(hparams.reduceLrOnPlateau.monitor) : null
  let learningRate = hparams.learningRate
  let bestWeights: tf.Tensor[] | null = null
  let bestEpoch = 0
  let epochsRun = 0
  let stoppedEarly = false
  let cancelled = false
  let imagesSeen = 0
  const runStart = performance.now()

  try {
    for (let epoch = 1; epoch <= hparams.epochs && !cancelled; epoch++) {
      const epochStart = performance.now()
      shuffleInPlace(order, rng)
      let lossSum = 0
      let correct = 0
      let seen = 0
      let lastReport = 0
      for (let b = 0; b < batches; b++) {
        await yieldToEventLoop()
        if (callbacks.shouldStop()) {
          cancelled = true
          break
        }
        const { xs, labels } = builder.build(source, order, b * hparams.batchSize, hparams.batchSize)
        const n = labels.shape[0]
        const r = step(xs, labels)
        xs.dispose()
        labels.dispose()
        lossSum += r.loss * n
        correct += r.correct
        seen += n
        imagesSeen += n
        const now = performance.now()
        if (now - lastReport >= interval || b === batches - 1) {
          lastReport = now
          const imagesPerSec = imagesSeen / ((now - runStart) / 1000)
          const remaining = (hparams.epochs - epoch) * order.length + (order.length - seen)
          callbacks.onProgress({
            epoch,
            epochs: hparams.epochs,
            batch: b + 1,
            batches,
            loss: lossSum / seen,
            accuracy: correct / seen,
            imagesPerSec,
            etaSeconds: imagesPerSec > 0 ? remaining / imagesPerSec : 0
          })
        }
      }
      if (cancelled) break

      const val = evaluate({ model, source, indices: validationIndices, shouldStop: callbacks.shouldStop })
      if (!val) {
        cancelled = true
        break
      }
      const record: EpochRecord = {
        epoch,
        loss: lossSum / seen,
        accuracy: correct / seen,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        learningRate,
        durationMs: Math.round(performance.now() - epochStart)
      }
      epochsRun = epoch
      callbacks.onEpoch(record)

      if (early) {
        if (early.observe(record)) {
          bestEpoch = epoch
          if (hparams.earlyStopping.restoreBestWeights) {
            bestWeights?.forEach((t) => t.dispose())
            bestWeights = model.getWeights().map((w) => tf.keep(w.clone()))
          }
        } else if (early.wait >= hparams.earlyStopping.patience) {
          stoppedEarly = true
          break
        }
      }
      if (plateau) {
        plateau.observe(record)
        if (plateau.wait >= hparams.reduceLrOnPlateau.patience) {
          const lowered = Math.max(learningRate * hparams.reduceLrOnPlateau.factor, hparams.reduceLrOnPlateau.minLr)
          if (lowered < learningRate) {
            learningRate = lowered
            // tfjs has no ReduceLROnPlateau; Adam reads this field on every update.
            ;(optimizer as unknown as { learningRate: number }).learningRate = learningRate
          }
          plateau.resetWait()
        }
      }
    }

    let weightsFromEpoch = epochsRun
    if (!cancelled && bestWeights && bestEpoch > 0 && bestEpoch !== epochsRun) {
      model.setWeights(bestWeights)
      weightsFromEpoch = bestEpoch
    }
    return { status: cancelled ? 'cancelled' : 'completed', epochsRun, weightsFromEpoch, stoppedEarly }
  } finally {
    bestWeights?.forEach((t) => t.dispose())
    optimizer.dispose()
  }
}
