/** Builds normalised input batches from the Uint8Array dataset, reusing buffers between batches. */
import * as tf from '@tensorflow/tfjs'

const PIXELS = 28 * 28

export interface BatchSource {
  /** `count × 784` bytes. */
  images: Uint8Array
  labels: Uint8Array
}

/** Reusable staging buffers for one batch size. */
export class BatchBuilder {
  private readonly x: Float32Array
  private readonly y: Int32Array

  constructor(private readonly maxBatch: number) {
    this.x = new Float32Array(maxBatch * PIXELS)
    this.y = new Int32Array(maxBatch)
  }

  /** Tensors for `indices[start, start+size)`: xs `[n,28,28,1]` in [0,1], labels int32 `[n]`. The caller disposes them. */
  build(source: BatchSource, indices: ArrayLike<number>, start: number, size: number): { xs: tf.Tensor4D; labels: tf.Tensor1D } {
    const n = Math.min(size, this.maxBatch, indices.length - start)
    const scale = 1 / 255
    for (let b = 0; b < n; b++) {
      const idx = indices[start + b]
      const offset = idx * PIXELS
      const out = b * PIXELS
      for (let p = 0; p < PIXELS; p++) this.x[out + p] = source.images[offset + p] * scale
      this.y[b] = source.labels[idx]
    }
    // tf copies the data, so the staging buffers can be reused at once.
    const xs = tf.tensor4d(this.x.subarray(0, n * PIXELS), [n, 28, 28, 1], 'float32')
    const labels = tf.tensor1d(this.y.subarray(0, n), 'int32')
    return { xs, labels }
  }
}
