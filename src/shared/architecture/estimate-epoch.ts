/**
 * A rough guide to how long one training epoch takes, from the forward multiply-adds per image. Only a
 * guide: real speed depends on the backend, the threads free, the batch size and layer kinds the
 * multiply-add count ignores (pooling, batch norm, activations), which dominate small models.
 */

/**
 * Forward multiply-adds per image × images trained per second, on the WASM backend with 2 threads.
 * Measured once (2026-12-05, on the 2-core development machine while a CI run shared it) with
 * `npm run bench -- --presets cnn-shallow --backends wasm --no-pytorch --images 512 --passes 1`:
 * 647.6 images/s (batch 64, Adam) × 2,631,040 forward multiply-adds per image (cnn-shallow at
 * 28×28×1, from inferArchitecture) ≈ 1.70e9. One noisy measurement of one model; the backward pass
 * and the optimiser are folded into it, so it holds best for convolutional models like that one.
 */
export const TRAINING_MACS_PER_SECOND = 1.7e9

/** Rough seconds for one epoch over `trainImages` images of a model with `macs` forward multiply-adds per image. */
export function estimateEpochSeconds(macs: number, trainImages: number): number {
  return (macs * trainImages) / TRAINING_MACS_PER_SECOND
}
