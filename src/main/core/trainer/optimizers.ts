/**
 * The recipe's optimizer as a tf.js optimizer, and its learning rate set uniformly. Adam is the
 * optimizer every run used before recipes (same constructor, same fused WASM update); AdamW is Adam
 * plus a decoupled decay in the train step; SGD is tf.js' momentum optimizer (Nesterov optional);
 * RMSprop tf.js' own (decay 0.9, not centred).
 */
import * as tf from '@tensorflow/tfjs'
import type { Recipe } from '@shared/recipe'

/** A fresh optimizer for the recipe at `learningRate`. */
export function createOptimizer(recipe: Pick<Recipe, 'optimizer' | 'momentum' | 'nesterov'>, learningRate: number): tf.Optimizer {
  switch (recipe.optimizer) {
    case 'adam':
    case 'adamw':
      return tf.train.adam(learningRate)
    case 'sgd':
      return tf.train.momentum(learningRate, recipe.momentum, recipe.nesterov)
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, recipe.momentum)
  }
}

/**
 * True for tf.js' Adam. Not `instanceof`: tf.js optimizers share a `Symbol.hasInstance` that accepts any
 * optimizer, so `sgd instanceof tf.AdamOptimizer` is true.
 */
export const isAdam = (optimizer: tf.Optimizer): optimizer is tf.AdamOptimizer => optimizer.getClassName() === 'Adam'

/** Points the optimizer at a new rate: SGD keeps it as a tensor, the others read the field on every update. */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const name = optimizer.getClassName()
  if (name === 'SGD' || name === 'Momentum') (optimizer as tf.SGDOptimizer).setLearningRate(learningRate)
  else (optimizer as unknown as { learningRate: number }).learningRate = learningRate
}

/** The rate the optimizer will apply at its next update. */
export const currentLearningRate = (optimizer: tf.Optimizer): number => (optimizer as unknown as { learningRate: number }).learningRate
