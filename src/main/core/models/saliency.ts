/**
 * Why a model decided: the gradient of one class's probability with respect to the input pixels
 * (Simonyan et al. 2013), optionally averaged over noisy copies of the image (SmoothGrad, Smilkov et al. 2017).
 * One value per pixel: for colour models the channel whose gradient is largest in magnitude gives it
 * (Simonyan's max over channels, keeping its sign).
 */
import * as tf from '@tensorflow/tfjs'
import { createRng } from '@main/core/dataset/random'

export interface SaliencyOptions {
  model: tf.LayersModel
  /** One image's inputs (bytes × scale), row-major HWC of the model's input shape. */
  pixels: Float32Array
  /** The class whose probability is explained. */
  classIndex: number
  /** SmoothGrad: average over this many noisy copies (0 or absent: the plain gradient). */
  smoothSamples?: number
  /** SmoothGrad noise standard deviation, in pixel units of [0, 1] (default 0.15). */
  smoothNoise?: number
  /** Seeds the SmoothGrad noise, so the same request draws the same map. */
  seed?: number
}

/** Standard normal draws from a seeded uniform generator (Box–Muller). */
function gaussian(rng: () => number): number {
  const u = 1 - rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

/** ∂ p(class) / ∂ pixel for each of the height × width pixels (signed; draw its magnitude). */
export function saliency(options: SaliencyOptions): Float32Array {
  const { model, pixels, classIndex } = options
  const [, height, width, channels] = model.inputs[0].shape as number[]
  const size = height * width * channels
  if (pixels.length !== size) {
    throw new Error(
      `saliency needs one ${height}×${width}×${channels} image (${size} ${channels === 1 ? 'pixels' : 'values'}), not ${pixels.length}`
    )
  }
  const samples = Math.max(0, Math.floor(options.smoothSamples ?? 0))
  const n = samples > 0 ? samples : 1
  const batch = new Float32Array(n * size)
  if (samples > 0) {
    const rng = createRng(options.seed ?? 1)
    const sigma = options.smoothNoise ?? 0.15
    for (let i = 0; i < batch.length; i++) batch[i] = pixels[i % size] + sigma * gaussian(rng)
  } else {
    batch.set(pixels)
  }
  const grad = tf.tidy(() => {
    const score = (x: tf.Tensor): tf.Scalar => {
      const probs = model.apply(x, { training: false }) as tf.Tensor2D
      // Each copy's score depends only on its own input, so the gradient of the sum is every copy's gradient.
      return tf.sum(tf.slice(probs, [0, classIndex], [-1, 1]))
    }
    const g = tf.grad(score)(tf.tensor4d(batch, [n, height, width, channels]))
    return tf.div(tf.sum(g, 0), n)
  })
  const values = grad.dataSync() as Float32Array
  grad.dispose()
  if (channels === 1) return Float32Array.from(values)
  const out = new Float32Array(height * width)
  for (let p = 0; p < out.length; p++) {
    let best = 0
    for (let c = 0; c < channels; c++) {
      const v = values[p * channels + c]
      if (Math.abs(v) > Math.abs(best)) best = v
    }
    out[p] = best
  }
  return out
}
