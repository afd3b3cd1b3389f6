/**
 * A rough guide to how long one training epoch takes, from the forward multiply-adds per image. Only a
 * guide: real speed depends on the backend, the threads free, the batch size and layer kinds the
 * multiply-add count ignores (pooling, batch norm, activations), which dominate small models.
 */

/**
 * Forward multiply-adds per image × images trained per second, on the WASM backend with 2 threads
 * (batch 64, Adam), from the README's "Training speed" table of the 2-core development machine (2026-12-06,
 * with our WebAssembly convolution kernels): cnn-shallow 2,421 images/s × 2.63 M = 6.4e9, cnn-deep
 * 1,282 × 7.60 M = 9.7e9, cnn-bn 378 × 19.90 M = 7.5e9 (multiply-adds from inferArchitecture at 28×28×1).
 * Rounded down to 6e9 because a full epoch runs slower than the bench's passes (cnn-shallow: 59,400
 * images in 26.6 s, 5.9e9). On a busy machine expect up to twice the estimate. The backward pass and the
 * optimiser are folded in, so it holds best for convolutional models.
 */
export const TRAINING_MACS_PER_SECOND = 6e9

/** Rough seconds for one epoch over `trainImages` images of a model with `macs` forward multiply-adds per image. */
export function estimateEpochSeconds(macs: number, trainImages: number): number {
  return (macs * trainImages) / TRAINING_MACS_PER_SECOND
}
