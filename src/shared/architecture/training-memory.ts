/**
 * How much memory training an architecture takes, roughly, before any tensor exists: enough to refuse
 * a model that cannot fit in a training process at all, with what to change, instead of a crash minutes
 * into the run.
 */
import type { Inference } from './infer-architecture'

/** What a training process can address: WebAssembly's 32-bit memory, the backend wherever tfjs-node is missing. */
export const MAX_TRAINING_BYTES = 4 * 2 ** 30

const FLOAT = 4
const elements = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1)

/**
 * Bytes one training step holds at its peak, as a lower bound: the weights with their gradients and
 * two optimizer moments, and per image of the batch its input and every layer's output (all kept for
 * the backward pass) plus the gradients of the largest layer going in and out.
 */
export function trainingBytes(inference: Pick<Inference, 'rows' | 'totalParams'>, input: readonly number[], batchSize: number): number {
  const sizes = inference.rows.map((row) => elements(row.outputShape))
  const activations = sizes.reduce((a, b) => a + b, 0)
  const largest = Math.max(elements(input), ...sizes)
  return FLOAT * (4 * inference.totalParams + batchSize * (elements(input) + activations + 2 * largest))
}

/** Bytes in binary units, rounded up ("4.6 GB", "310 MB"): a needed amount is never shown smaller than it is. */
export function memoryText(bytes: number): string {
  const gb = bytes / 2 ** 30
  return gb >= 1 ? `${(Math.ceil(gb * 10) / 10).toFixed(1)} GB` : `${Math.ceil(bytes / 2 ** 20)} MB`
}

/** Why training would not fit in memory at this batch size (one line saying what to change), or null when it fits. */
export function memoryMisfit(
  inference: Pick<Inference, 'rows' | 'totalParams'>,
  input: readonly number[],
  batchSize: number
): string | null {
  const bytes = trainingBytes(inference, input, batchSize)
  if (bytes <= MAX_TRAINING_BYTES) return null
  const perImage = trainingBytes({ rows: inference.rows, totalParams: 0 }, input, 1)
  const fits = Math.floor((MAX_TRAINING_BYTES - trainingBytes({ rows: [], totalParams: inference.totalParams }, input, 0)) / perImage)
  const change =
    fits >= 1
      ? `use batches of at most ${fits} images, or pool earlier so the layers' outputs are smaller`
      : 'pool earlier or use fewer filters so the layers\u2019 outputs are smaller'
  return `training needs at least ${memoryText(bytes)} of memory in batches of ${batchSize}, more than the ${memoryText(MAX_TRAINING_BYTES)} a training process can address; ${change}`
}
