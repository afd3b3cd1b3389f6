/**
 * Augments a float32 training batch in place, before it becomes a tensor: random shift (zero padding
 * and a crop at a random offset), horizontal flip with probability ½, and random erasing (Zhong et al.
 * 2017: a rectangle of 2–25 % of the image, aspect 0.3–3.3, filled with uniform noise over the input's
 * range). Images are NHWC of any size and channel count.
 *
 * The draws come from a small generator seeded by (run seed, epoch, batch index) alone, so a run
 * resumed from a checkpoint at an epoch boundary augments every batch exactly as an uninterrupted run
 * would, and no generator state needs to be kept in checkpoints.
 */
import type { Augment } from '@shared/augment'
import type { ImageShape } from '@shared/dataset'
import { createRng } from '@main/core/dataset/random'

/** Where one batch's draws come from. */
export interface AugmentDraw {
  /** The run's seed. */
  seed: number
  /** 1-based epoch. */
  epoch: number
  /** 0-based batch index within the epoch. */
  batch: number
}

/** Random erasing's limits (Zhong et al. 2017): area as a fraction of the image, and height/width ratio. */
const ERASE_AREA = [0.02, 0.25] as const
const ERASE_ASPECT = [0.3, 1 / 0.3] as const

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * The generator seed of one batch: a hash of (seed, epoch, batch), so neighbouring batches, epochs and
 * seeds draw unrelated sequences (and none equals the shuffling's, seeded by seed + 1).
 */
export function augmentSeed({ seed, epoch, batch }: AugmentDraw): number {
  let h = mix32((seed ^ 0x61756731) >>> 0) // "aug1"
  h = mix32((h ^ Math.imul(epoch, 0x9e3779b1)) >>> 0)
  return mix32((h ^ Math.imul(batch + 1, 0x85ebca77)) >>> 0)
}

export interface AugmentBatchOptions {
  augment: Augment
  shape: ImageShape
  /** The largest input value (255 × the dataset's scale): erased pixels are drawn from [0, maxValue). */
  maxValue?: number
}

/** Augments batches of one image shape, reusing a one-image scratch buffer. */
export class BatchAugmenter {
  private readonly scratch: Float32Array
  private readonly pixels: number

  constructor(private readonly options: AugmentBatchOptions) {
    const { height, width, channels } = options.shape
    this.pixels = height * width * channels
    this.scratch = new Float32Array(this.pixels)
  }

  /** Augments the first `n` images of `x` (NHWC) in place with the draws of `draw`. */
  apply(x: Float32Array, n: number, draw: AugmentDraw): void {
    const { augment } = this.options
    const rng = createRng(augmentSeed(draw))
    for (let i = 0; i < n; i++) {
      const image = x.subarray(i * this.pixels, (i + 1) * this.pixels)
      if (augment.shift > 0) {
        const s = augment.shift
        const dy = Math.floor(rng() * (2 * s + 1)) - s
        const dx = Math.floor(rng() * (2 * s + 1)) - s
        this.shift(image, dy, dx)
      }
      if (augment.flip && rng() < 0.5) this.flip(image)
      if (augment.erase > 0 && rng() < augment.erase) this.erase(image, rng)
    }
  }

  /** Output pixel (y, x) = input pixel (y + dy, x + dx), zero where that falls outside: pad-and-crop. */
  shift(image: Float32Array, dy: number, dx: number): void {
    if (dy === 0 && dx === 0) return
    const { height, width, channels } = this.options.shape
    const row = width * channels
    this.scratch.set(image)
    image.fill(0)
    const span = (width - Math.abs(dx)) * channels
    if (span <= 0) return
    const from = Math.max(dx, 0) * channels
    const to = Math.max(-dx, 0) * channels
    for (let y = 0; y < height; y++) {
      const sy = y + dy
      if (sy < 0 || sy >= height) continue
      const source = sy * row + from
      const target = y * row + to
      // Measured: a subarray per row costs more than copying a short row (28 floats) by hand, less than a long one.
      if (span >= 64) image.set(this.scratch.subarray(source, source + span), target)
      else for (let k = 0; k < span; k++) image[target + k] = this.scratch[source + k]
    }
  }

  /** Mirrors the image left–right (channels stay together). */
  flip(image: Float32Array): void {
    const { height, width, channels } = this.options.shape
    const row = width * channels
    for (let y = 0; y < height; y++) {
      const base = y * row
      for (let a = 0, b = width - 1; a < b; a++, b--) {
        for (let c = 0; c < channels; c++) {
          const i = base + a * channels + c
          const j = base + b * channels + c
          const t = image[i]
          image[i] = image[j]
          image[j] = t
        }
      }
    }
  }

  /** Fills a random rectangle of 2–25 % of the image (aspect 0.3–3.3) with uniform noise. */
  erase(image: Float32Array, rng: () => number): void {
    const { height, width, channels } = this.options.shape
    const maxValue = this.options.maxValue ?? 1
    const area = height * width * (ERASE_AREA[0] + rng() * (ERASE_AREA[1] - ERASE_AREA[0]))
    // Log-uniform aspect, so tall and wide rectangles are equally likely.
    const aspect = Math.exp(Math.log(ERASE_ASPECT[0]) + rng() * (Math.log(ERASE_ASPECT[1]) - Math.log(ERASE_ASPECT[0])))
    const h = Math.min(height, Math.max(1, Math.round(Math.sqrt(area * aspect))))
    const w = Math.min(width, Math.max(1, Math.round(Math.sqrt(area / aspect))))
    const top = Math.floor(rng() * (height - h + 1))
    const left = Math.floor(rng() * (width - w + 1))
    for (let y = top; y < top + h; y++) {
      const start = (y * width + left) * channels
      for (let i = start; i < start + w * channels; i++) image[i] = rng() * maxValue
    }
  }
}
