/** Test-set evaluation: predictions, loss, confusion matrix and per-class metrics. */
import * as tf from '@tensorflow/tfjs'
import type { ClassMetrics, Predictions, TestMetrics } from '@shared/run'
import { BatchBuilder, type BatchSource } from './batches'

export interface EvaluateOptions {
  model: tf.LayersModel
  source: BatchSource
  /** Which images to evaluate, in order. */
  indices: ArrayLike<number>
  batchSize?: number
  /** Called between batches; return true to stop early (cancellation). */
  shouldStop?: () => boolean
  /** Bytes to input multiplier (the dataset preprocessing's scale; default 1/255). */
  scale?: number
}

export interface Evaluation {
  loss: number
  accuracy: number
  predictions: Predictions
  /** Outputs of the model (`predictions.probabilities` holds this many per image). */
  classCount: number
}

/** Classes a model tells apart: the size of its output. */
export const classCountOf = (model: tf.LayersModel): number => model.outputs[0].shape[model.outputs[0].shape.length - 1] as number

/** Runs the model in inference mode over `indices`; returns mean cross-entropy, accuracy and every prediction (`[n, classes]`). */
export function evaluate({ model, source, indices, batchSize = 500, shouldStop, scale }: EvaluateOptions): Evaluation | null {
  const n = indices.length
  const classes = classCountOf(model)
  const predicted = new Uint8Array(n)
  const probabilities = new Float32Array(n * classes)
  const builder = new BatchBuilder(batchSize, { scale })
  let lossSum = 0
  let correct = 0
  for (let start = 0; start < n; start += batchSize) {
    if (shouldStop?.()) return null
    const { xs, labels } = builder.build(source, indices, start, batchSize)
    const probs = tf.tidy(() => model.predict(xs) as tf.Tensor2D)
    const p = probs.dataSync() as Float32Array
    const y = labels.dataSync()
    xs.dispose()
    labels.dispose()
    probs.dispose()
    const rows = y.length
    probabilities.set(p, start * classes)
    for (let r = 0; r < rows; r++) {
      let best = 0
      for (let c = 1; c < classes; c++) if (p[r * classes + c] > p[r * classes + best]) best = c
      predicted[start + r] = best
      if (best === y[r]) correct++
      lossSum -= Math.log(Math.min(Math.max(p[r * classes + y[r]], 1e-7), 1 - 1e-7))
    }
  }
  return { loss: lossSum / n, accuracy: correct / n, predictions: { predicted, probabilities }, classCount: classes }
}

/** confusion[true][predicted] counts, `classCount × classCount`. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number): number[][] {
  const m = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0))
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]]++
  return m
}

/** Precision, recall, F1 and support per class from a confusion matrix (0 where undefined). */
export function perClassMetrics(confusion: number[][]): ClassMetrics[] {
  return confusion.map((row, k) => {
    const tp = row[k]
    const support = row.reduce((a, b) => a + b, 0)
    const predictedK = confusion.reduce((a, r) => a + r[k], 0)
    const precision = predictedK ? tp / predictedK : 0
    const recall = support ? tp / support : 0
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
    return { precision, recall, f1, support }
  })
}

/** Everything stored about a run's test-set performance. */
export function testMetrics(evaluation: Evaluation, labels: ArrayLike<number>): TestMetrics {
  const confusion = confusionMatrix(labels, evaluation.predictions.predicted, evaluation.classCount)
  return {
    testLoss: evaluation.loss,
    testAccuracy: evaluation.accuracy,
    perClass: perClassMetrics(confusion),
    confusion
  }
}
