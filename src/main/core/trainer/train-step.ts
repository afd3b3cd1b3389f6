/** One optimisation step: forward in training mode, sparse categorical cross-entropy, Adam update. */
import * as tf from '@tensorflow/tfjs'
import { applyAdamUpdate } from '../tfjs/kernels/adam-update'
import { dropoutStepper } from './dropout-seeds'

export interface StepResult {
  /** Mean loss over the batch. */
  loss: number
  /** Number of correctly classified images in the batch. */
  correct: number
}

/**
 * Trains on one batch. `step` is the global step number (0-based, counted over all epochs): it picks
 * the dropout masks (see dropout-seeds.ts), so the same step always draws the same masks.
 */
export type TrainStep = (xs: tf.Tensor4D, labels: tf.Tensor1D, step: number) => StepResult

/** Mean sparse categorical cross-entropy of softmax outputs `probs` against int labels. */
export function sparseCrossEntropy(probs: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels, probs.shape[probs.shape.length - 1] as number)
    const clipped = tf.clipByValue(probs, 1e-7, 1 - 1e-7)
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(clipped)), -1))) as tf.Scalar
  })
}

/** Creates the step function for a model and optimizer; it leaks no tensors. */
export function createTrainStep(model: tf.LayersModel, optimizer: tf.Optimizer): TrainStep {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const setDropoutStep = dropoutStepper(model)
  return (xs, labels, step) => {
    setDropoutStep(step)
    let correctT: tf.Tensor | null = null
    const lossFn = (): tf.Scalar => {
      const probs = model.apply(xs, { training: true }) as tf.Tensor
      correctT = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), labels), 'int32')))
      return sparseCrossEntropy(probs, labels)
    }
    let lossT: tf.Scalar
    // On WASM, Adam's update runs as one fused kernel per variable (same float32 arithmetic as tfjs-core's).
    if (optimizer instanceof tf.AdamOptimizer && tf.getBackend() === 'wasm') {
      const { value, grads } = optimizer.computeGradients(lossFn, vars)
      applyAdamUpdate(optimizer, vars, grads)
      tf.dispose(grads)
      lossT = value
    } else {
      lossT = optimizer.minimize(lossFn, true, vars) as tf.Scalar
    }
    const loss = lossT.dataSync()[0]
    const correct = (correctT as unknown as tf.Tensor).dataSync()[0]
    lossT.dispose()
    ;(correctT as unknown as tf.Tensor).dispose()
    return { loss, correct }
  }
}
