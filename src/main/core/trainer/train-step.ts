/** One optimisation step: forward in training mode, (label-smoothed) cross-entropy, the optimizer's update. */
import * as tf from '@tensorflow/tfjs'
import { applyAdamUpdate } from '../tfjs/kernels/adam-update'
import { dropoutStepper } from './dropout-seeds'
import { currentLearningRate, isAdam } from './optimizers'

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

/**
 * Mean sparse categorical cross-entropy of softmax outputs `probs` against int labels; with label
 * smoothing ε the target is (1 − ε) on the true class plus ε / classes on every class.
 */
export function sparseCrossEntropy(probs: tf.Tensor, labels: tf.Tensor1D, labelSmoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const classes = probs.shape[probs.shape.length - 1] as number
    const oneHot = tf.oneHot(labels, classes)
    // Without smoothing the one-hot itself, so a default run computes exactly what it always did.
    const target = labelSmoothing > 0 ? tf.add(tf.mul(oneHot, 1 - labelSmoothing), labelSmoothing / classes) : oneHot
    const clipped = tf.clipByValue(probs, 1e-7, 1 - 1e-7)
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.log(clipped)), -1))) as tf.Scalar
  })
}

/** What a recipe changes in a step; every field's default is what a step did before recipes. */
export interface TrainStepOptions {
  /** Label smoothing ε (0: none). */
  labelSmoothing?: number
  /**
   * Weight decay of the kernels (variables of rank ≥ 2; biases and batch-norm scales are not decayed):
   * `decoupled` shrinks them by learning rate × rate before the update (AdamW); `l2` adds rate × weight
   * to their gradients. Rate 0: none.
   */
  weightDecay?: { mode: 'decoupled' | 'l2'; rate: number }
}

/** Creates the step function for a model and optimizer; it leaks no tensors. */
export function createTrainStep(model: tf.LayersModel, optimizer: tf.Optimizer, options: TrainStepOptions = {}): TrainStep {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const kernels = vars.filter((v) => v.shape.length >= 2)
  const setDropoutStep = dropoutStepper(model)
  const smoothing = options.labelSmoothing ?? 0
  const decay = options.weightDecay && options.weightDecay.rate > 0 ? options.weightDecay : null
  const fusedAdam = isAdam(optimizer) && tf.getBackend() === 'wasm'
  return (xs, labels, step) => {
    setDropoutStep(step)
    let correctT: tf.Tensor | null = null
    const lossFn = (): tf.Scalar => {
      const probs = model.apply(xs, { training: true }) as tf.Tensor
      correctT = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), labels), 'int32')))
      return sparseCrossEntropy(probs, labels, smoothing)
    }
    let lossT: tf.Scalar
    if (!decay && !fusedAdam) {
      lossT = optimizer.minimize(lossFn, true, vars) as tf.Scalar
    } else {
      const { value, grads } = optimizer.computeGradients(lossFn, vars)
      if (decay?.mode === 'l2') {
        for (const k of kernels) {
          const g = grads[k.name]
          if (g) grads[k.name] = tf.tidy(() => tf.add(g, tf.mul(k, decay.rate)))
          g?.dispose()
        }
      } else if (decay) {
        // AdamW: the decay uses the weights the gradients were taken at, and the rate of this step.
        const shrink = 1 - currentLearningRate(optimizer) * decay.rate
        tf.tidy(() => kernels.forEach((k) => k.assign(tf.mul(k, shrink))))
      }
      // On WASM, Adam's update runs as one fused kernel per variable (same float32 arithmetic as tfjs-core's).
      if (fusedAdam) applyAdamUpdate(optimizer as tf.AdamOptimizer, vars, grads)
      else optimizer.applyGradients(grads)
      tf.dispose(grads)
      lossT = value
    }
    const loss = lossT.dataSync()[0]
    const correct = (correctT as unknown as tf.Tensor).dataSync()[0]
    lossT.dispose()
    ;(correctT as unknown as tf.Tensor).dispose()
    return { loss, correct }
  }
}
