/**
 * Builds normalised input batches from a uint8 dataset of any image shape, reusing buffers between
 * batches. Only one batch is ever converted to float32: the dataset itself stays bytes.
 */
import * as tf from '@tensorflow/tfjs'
import { imageBytes, type ImageShape } from '@shared/dataset'

export interface BatchSource {
  /** `count × height × width × channels` bytes (row-major HWC per image). */
  images: Uint8Array
  labels: Uint8Array
  /** Shape of each image, from the dataset's record. */
  shape: ImageShape
}

export interface BatchBuilderOptions {
  /** Multiplier from bytes to model input (the dataset preprocessing's `scale`; default 1/255). */
  scale?: number
  /** Changes the first `n` images of the float32 batch in place before it becomes a tensor (training augmentation). */
  transform?: (x: Float32Array, n: number) => void
}

/** Reusable staging buffers for one batch size. */
export class BatchBuilder {
  private x: Float32Array = new Float32Array(0)
  private readonly y: Int32Array
  private readonly scale: number
  private readonly transform: BatchBuilderOptions['transform']

  constructor(
    private readonly maxBatch: number,
    options: BatchBuilderOptions = {}
  ) {
    this.y = new Int32Array(maxBatch)
    this.scale = options.scale ?? 1 / 255
    this.transform = options.transform
  }

  /**
   * Tensors for `indices[start, start+size)`: xs `[n, height, width, channels]` (bytes × scale, in [0,1]
   * by default), labels int32 `[n]`. The caller disposes them.
   */
  build(source: BatchSource, indices: ArrayLike<number>, start: number, size: number): { xs: tf.Tensor4D; labels: tf.Tensor1D } {
    const { shape } = source
    const pixels = imageBytes(shape)
    if (this.x.length !== this.maxBatch * pixels) this.x = new Float32Array(this.maxBatch * pixels)
    const n = Math.min(size, this.maxBatch, indices.length - start)
    const scale = this.scale
    for (let b = 0; b < n; b++) {
      const idx = indices[start + b]
      const offset = idx * pixels
      const out = b * pixels
      for (let p = 0; p < pixels; p++) this.x[out + p] = source.images[offset + p] * scale
      this.y[b] = source.labels[idx]
    }
    this.transform?.(this.x, n)
    // tf copies the data, so the staging buffers can be reused at once.
    const xs = tf.tensor4d(this.x.subarray(0, n * pixels), [n, shape.height, shape.width, shape.channels], 'float32')
    const labels = tf.tensor1d(this.y.subarray(0, n), 'int32')
    return { xs, labels }
  }
}
