/**
 * Re-estimates the moving mean and variance of every batch-norm layer after training, as SWA's
 * `bn_update` does: one pass over training images, each layer's statistics the exact average of its
 * input's batch statistics. With momentum 0.99 the moving averages need a few hundred steps to forget
 * their starting values (mean 0, variance 1); a short run (1 epoch of 2,000 images is ~30 steps) would
 * otherwise be tested with statistics that never described its activations.
 */
import * as tf from '@tensorflow/tfjs'
import { createStatefulRng, shuffleInPlace } from '@main/core/dataset/random'
import type { BatchNormReestimate } from '@shared/run'
import { BatchBuilder, type BatchSource } from './batches'

/** At most this many training images feed the pass: plenty for stable averages, cheap on a 60,000-image run. */
export const BATCH_NORM_PASS_IMAGES = 4096

/** The part of tf.js' BatchNormalization layer read and written here. */
interface BatchNormLayer {
  axis: number
  movingMean: { write(value: tf.Tensor): void; read(): tf.Tensor }
  movingVariance: { write(value: tf.Tensor): void; read(): tf.Tensor }
}

export interface ReestimateOptions {
  model: tf.LayersModel
  source: BatchSource
  /** Training images (never validation or test ones) to draw the pass from. */
  trainIndices: Uint32Array
  /** Images per batch: the training batch size, so the averaged statistics are those training normalised with. */
  batchSize: number
  /** Picks which images feed the pass when there are more than {@link BATCH_NORM_PASS_IMAGES}. */
  seed: number
  /** Multiplier from bytes to model input (the dataset preprocessing's `scale`). */
  scale?: number
  maxImages?: number
}

/** The batch-norm layers of a model in the order they apply (tf.js keeps `layers` topologically sorted). */
const batchNormLayers = (model: tf.LayersModel): tf.layers.Layer[] => model.layers.filter((l) => l.getClassName() === 'BatchNormalization')

/**
 * Replaces each batch-norm layer's moving statistics by the average over the pass of its input's batch
 * mean and (biased, as training uses) batch variance. Layers are done in order, every other layer in
 * inference mode, so a later layer sees the outputs of earlier layers already re-estimated. Deterministic:
 * the same model, images and seed give the same statistics. Returns null for a model without batch norm
 * (it is left untouched).
 */
export function reestimateBatchNorm(options: ReestimateOptions): BatchNormReestimate | null {
  const { model, source, batchSize } = options
  const layers = batchNormLayers(model)
  if (layers.length === 0 || options.trainIndices.length === 0) return null
  const order = Uint32Array.from(options.trainIndices)
  const max = options.maxImages ?? BATCH_NORM_PASS_IMAGES
  if (order.length > max) shuffleInPlace(order, createStatefulRng(options.seed).next)
  const images = order.subarray(0, Math.min(max, order.length))
  const builder = new BatchBuilder(batchSize, { scale: options.scale })
  const modelInput = model.inputs[0]

  for (const layer of layers) {
    const bn = layer as unknown as BatchNormLayer
    const input = layer.input as tf.SymbolicTensor
    // A model of the layers before this one (sharing their weights); none when it reads the images directly.
    const upTo = input === modelInput ? null : tf.model({ inputs: modelInput, outputs: input })
    const rank = input.shape.length
    const axis = bn.axis >= 0 ? bn.axis : bn.axis + rank
    const reduce = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis)
    const channels = input.shape[axis] as number
    const meanSum = new Float64Array(channels)
    const varianceSum = new Float64Array(channels)
    for (let start = 0; start < images.length; start += batchSize) {
      const { xs, labels } = builder.build(source, images, start, batchSize)
      const n = labels.shape[0]
      const [mean, variance] = tf.tidy(() => {
        const h = upTo ? (upTo.apply(xs, { training: false }) as tf.Tensor) : xs
        const m = tf.moments(h, reduce)
        return [m.mean.dataSync(), m.variance.dataSync()]
      })
      xs.dispose()
      labels.dispose()
      // Weighted by images, so a short last batch counts for what it holds.
      for (let c = 0; c < channels; c++) {
        meanSum[c] += mean[c] * n
        varianceSum[c] += variance[c] * n
      }
    }
    const total = images.length
    tf.tidy(() => {
      bn.movingMean.write(tf.tensor1d(Float32Array.from(meanSum, (s) => s / total)))
      bn.movingVariance.write(tf.tensor1d(Float32Array.from(varianceSum, (s) => s / total)))
    })
  }
  return { layers: layers.length, images: images.length }
}
