/**
 * Draws dataset images (uint8, row-major HWC, 1 or 3 channels) as RGBA pixels, and the few words the
 * views use to name a dataset's images. Every gallery, sample grid and Try it view draws through here.
 */
import { builtinRef, type DatasetRef, type ImageShape } from '@shared/dataset'

/** How a dataset's images are drawn. */
export interface ImageLook {
  shape: ImageShape
  /**
   * Draw the bytes inverted (255 − v): the MNIST family stores a light object on black, and the views
   * have always shown it dark on light, like the original plots. Photos are drawn as they are.
   */
  invert: boolean
}

/** What a run of the time before datasets trained on, and what a view shows when it is told nothing else. */
export const FASHION_MNIST: DatasetRef = builtinRef('fashion-mnist')!

/** How the images of `dataset` are drawn: inverted only for the ink-on-black families. */
export const lookOf = (dataset: Pick<DatasetRef, 'shape' | 'preprocessing'>): ImageLook => ({
  shape: dataset.shape,
  invert: dataset.preprocessing.fit === 'ink-box' && dataset.shape.channels === 1
})

/** Bytes of one image. */
export const pixelsOf = (shape: ImageShape): number => shape.height * shape.width * shape.channels

/** The bytes of image `index` of a concatenated set (a view, not a copy). */
export function imageAt(images: Uint8Array, index: number, shape: ImageShape): Uint8Array {
  const n = pixelsOf(shape)
  return images.subarray(index * n, (index + 1) * n)
}

/**
 * RGBA of image `index` of `images`: grey levels repeated into red, green and blue for one channel,
 * the three channels as they are for colour; opaque.
 */
export function imageRgba(images: Uint8Array, index: number, look: ImageLook): Uint8ClampedArray {
  const { height, width, channels } = look.shape
  const count = height * width
  const out = new Uint8ClampedArray(count * 4)
  const base = index * count * channels
  for (let p = 0; p < count; p++) {
    for (let k = 0; k < 3; k++) {
      const v = images[base + p * channels + (channels === 3 ? k : 0)] ?? 0
      out[p * 4 + k] = look.invert ? 255 - v : v
    }
    out[p * 4 + 3] = 255
  }
  return out
}

/** Paints image `index` onto `canvas`, which must be `width × height` pixels (CSS scales it). */
export function drawImage(canvas: HTMLCanvasElement, images: Uint8Array, index: number, look: ImageLook): void {
  const ctx = canvas.getContext('2d')
  if (!ctx || typeof ImageData === 'undefined') return
  const { width, height } = look.shape
  ctx.putImageData(new ImageData(imageRgba(images, index, look) as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0)
}

/** "28×28 gray", "32×32 RGB". */
export const shapeLabel = (shape: ImageShape): string => `${shape.height}×${shape.width} ${shape.channels === 3 ? 'RGB' : 'gray'}`

/** The first 12 hex digits of a content hash (enough to tell datasets apart at a glance; the full hash is in the tooltip). */
export const shortHash = (hash: string | null): string => (hash ? hash.slice(0, 12) : '—')

/** The dataset a run list row trained on (runs recorded before datasets existed trained on Fashion-MNIST). */
export function runDatasetName(run: { hp?: Record<string, unknown> }): string {
  const name = run.hp?.dataset
  return typeof name === 'string' && name ? name : FASHION_MNIST.name
}
