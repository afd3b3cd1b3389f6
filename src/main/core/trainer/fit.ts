/**
 * The training loop. It knows nothing of processes or the UI: progress, epochs and cancellation
 * go through the callbacks it is given. It can start from a checkpoint and hands out one after
 * every completed epoch, so an interrupted run continues exactly where it stopped.
 */
import * as tf from '@tensorflow/tfjs'
import type { DatasetRef } from '@shared/dataset'
import type { Hparams } from '@shared/hparams'
import type { EpochRecord } from '@shared/run'
import type { TrainerProgress } from '@shared/trainer-protocol'
import { createStatefulRng, shuffleInPlace } from '@main/core/dataset/random'
import { BatchBuilder, type BatchSource } from './batches'
import { BatchAugmenter, type AugmentDraw } from './augment-batch'
import { augmentIsOff } from '@shared/augment'
import { BUILTINS, DEFAULT_DATASET } from '@shared/dataset'
import { evaluate } from './metrics'
import { PlateauTracker } from './plateau'
import { createTrainStep } from './train-step'
import { resetDropoutSeeds } from './dropout-seeds'
import { runArchitecture } from '@shared/run-architecture'
import { adamCounters, encodeCheckpoint, restoreCheckpoint, restoreOptimizerWeights, UNOWNED, type TrackerState } from './training-state'
import { createOptimizer, setLearningRate } from './optimizers'
import { isConstant, learningRateMultiplier } from './lr-schedule'
import type { ModelFileOwner } from '@main/core/models/model-file'

export interface FitCallbacks {
  /** Live progress within an epoch, at most every `progressIntervalMs`. */
  onProgress(progress: Omit<TrainerProgress, 'runId'>): void
  /**
   * A finished epoch with its validation metrics. `checkpoint()` packs the training state after it
   * (an Atelier model file); fit waits for the returned promise before the next epoch, and a
   * rejection ends training with that error.
   */
  onEpoch(record: EpochRecord, checkpoint: () => Promise<Uint8Array>): void | Promise<void>
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
  /** A checkpoint file to continue from; training resumes after its epoch. */
  resumeFrom?: Uint8Array
  /** Forget early stopping's patience count on resume ("train more" after an early stop). */
  resetEarlyStopping?: boolean
  /** Run and store written into each checkpoint (default {@link UNOWNED}: no store accepts such files). */
  owner?: ModelFileOwner
  /**
   * The dataset trained on, recorded in each checkpoint; its preprocessing's `scale` turns bytes into
   * inputs (default: none recorded, scale 1/255).
   */
  dataset?: DatasetRef
}

export interface FitResult {
  status: 'completed' | 'cancelled'
  /** Epochs completed in total, including those before a resume. */
  epochsRun: number
  /** Epoch whose weights the model holds at the end when best weights were restored, else the last. */
  weightsFromEpoch: number
  stoppedEarly: boolean
  /** Epoch of the checkpoint training resumed from (0: a fresh start). */
  resumedAfter: number
}

/** Lets queued messages (a cancel request) in between synchronous batches. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const trackerState = (t: PlateauTracker | null): TrackerState | null => (t ? { best: t.best, bestEpoch: t.bestEpoch, wait: t.wait } : null)

function restoreTracker(t: PlateauTracker | null, s: TrackerState | null): void {
  if (!t || !s) return
  t.best = s.best
  t.bestEpoch = s.bestEpoch
  t.wait = s.wait
}

/** Trains `model` with the recipe's optimizer, schedule and (smoothed) sparse categorical cross-entropy per `hparams`. */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { model, hparams, source, trainIndices, validationIndices, callbacks } = options
  const { recipe } = hparams
  const interval = options.progressIntervalMs ?? 250
  const optimizer = createOptimizer(recipe, hparams.learningRate)
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const step = createTrainStep(model, optimizer, {
    labelSmoothing: recipe.labelSmoothing,
    weightDecay: { mode: recipe.optimizer === 'adamw' ? 'decoupled' : 'l2', rate: recipe.weightDecay }
  })
  const scale = options.dataset?.preprocessing.scale
  // Which batch is being built, for the augmentation's draws: a pure function of (seed, epoch, batch).
  let draw: AugmentDraw = { seed: hparams.seed, epoch: 0, batch: 0 }
  const augmenter = augmentIsOff(recipe.augment)
    ? null
    : new BatchAugmenter({
        augment: recipe.augment,
        shape: source.shape ?? BUILTINS[DEFAULT_DATASET].shape,
        maxValue: 255 * (scale ?? 1 / 255)
      })
  const builder = new BatchBuilder(hparams.batchSize, { scale, transform: augmenter ? (x, n) => augmenter.apply(x, n, draw) : undefined })
  let rng = createStatefulRng(hparams.seed + 1)
  let order: Uint32Array = Uint32Array.from(trainIndices)
  const batches = Math.ceil(order.length / hparams.batchSize)
  const schedule = { ...recipe, epochs: hparams.epochs, batchesPerEpoch: batches }
  const scheduled = !isConstant(schedule)
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
    if (options.resumeFrom) {
      const restored = restoreCheckpoint({ bytes: options.resumeFrom, model, optimizer, vars })
      const s = restored.state
      if (restored.order.length !== order.length) {
        throw new Error(`the checkpoint trained on ${restored.order.length} images, this run on ${order.length}`)
      }
      order = restored.order
      if (restored.optimizerWeights) await restoreOptimizerWeights(optimizer, restored.optimizerWeights)
      rng = createStatefulRng(s.rngState)
      learningRate = s.learningRate
      setLearningRate(optimizer, learningRate)
      restoreTracker(early, s.early)
      restoreTracker(plateau, s.plateau)
      bestWeights = restored.bestWeights
      bestEpoch = s.bestEpoch
      epochsRun = s.epoch
      stoppedEarly = s.stoppedEarly
      if (options.resetEarlyStopping) {
        if (early) early.wait = 0
        stoppedEarly = false
      }
    }
    const resumedAfter = epochsRun

    for (let epoch = epochsRun + 1; epoch <= hparams.epochs && !cancelled && !stoppedEarly; epoch++) {
      const epochStart = performance.now()
      shuffleInPlace(order, rng.next)
      let lossSum = 0
      let correct = 0
      let seen = 0
      let lastReport = 0
      // The rate of the epoch's last step, recorded with it (the plain rate without a schedule).
      let epochRate = learningRate
      for (let b = 0; b < batches; b++) {
        await yieldToEventLoop()
        if (callbacks.shouldStop()) {
          cancelled = true
          break
        }
        draw = { seed: hparams.seed, epoch, batch: b }
        const { xs, labels } = builder.build(source, order, b * hparams.batchSize, hparams.batchSize)
        const n = labels.shape[0]
        // The global step picks the dropout masks and the scheduled rate; it follows from epoch and batch,
        // so a resume draws the same masks and sets the same rates.
        const globalStep = (epoch - 1) * batches + b
        if (scheduled) {
          epochRate = learningRate * learningRateMultiplier(schedule, globalStep)
          setLearningRate(optimizer, epochRate)
        }
        const r = step(xs, labels, globalStep)
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
      // The layers' own seeds back before the checkpoint saves the model (the next step sets them again).
      resetDropoutSeeds(model)
      if (cancelled) break

      const val = evaluate({ model, source, indices: validationIndices, shouldStop: callbacks.shouldStop, scale })
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
        learningRate: epochRate,
        durationMs: Math.round(performance.now() - epochStart)
      }
      epochsRun = epoch

      if (early) {
        if (early.observe(record)) {
          bestEpoch = epoch
          if (hparams.earlyStopping.restoreBestWeights) {
            bestWeights?.forEach((t) => t.dispose())
            bestWeights = model.getWeights().map((w) => tf.keep(w.clone()))
          }
        } else if (early.wait >= hparams.earlyStopping.patience) {
          stoppedEarly = true
        }
      }
      if (plateau && !stoppedEarly) {
        plateau.observe(record)
        if (plateau.wait >= hparams.reduceLrOnPlateau.patience) {
          const lowered = Math.max(learningRate * hparams.reduceLrOnPlateau.factor, hparams.reduceLrOnPlateau.minLr)
          if (lowered < learningRate) {
            learningRate = lowered
            // tfjs has no ReduceLROnPlateau; a schedule multiplies this rate from the next step on.
            setLearningRate(optimizer, learningRate)
          }
          plateau.resetWait()
        }
      }
      // The state after this epoch's bookkeeping: what the next epoch starts from.
      const state = {
        epoch,
        learningRate,
        adam: adamCounters(optimizer),
        rngState: rng.state(),
        early: trackerState(early),
        plateau: trackerState(plateau),
        bestEpoch,
        stoppedEarly
      }
      const snapshotOrder = order
      const snapshotBest = bestWeights
      await callbacks.onEpoch(record, () =>
        encodeCheckpoint({
          model,
          optimizer,
          vars,
          state,
          order: snapshotOrder,
          bestWeights: snapshotBest,
          owner: options.owner ?? UNOWNED,
          dataset: options.dataset,
          architecture: runArchitecture(hparams)
        })
      )
    }

    let weightsFromEpoch = epochsRun
    if (!cancelled && bestWeights && bestEpoch > 0 && bestEpoch !== epochsRun) {
      model.setWeights(bestWeights)
      weightsFromEpoch = bestEpoch
    }
    return { status: cancelled ? 'cancelled' : 'completed', epochsRun, weightsFromEpoch, stoppedEarly, resumedAfter }
  } finally {
    resetDropoutSeeds(model)
    bestWeights?.forEach((t) => t.dispose())
    optimizer.dispose()
  }
}
