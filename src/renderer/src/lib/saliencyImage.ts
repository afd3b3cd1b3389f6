/** Draws a model input (any height × width, 1 or 3 channels), optionally with a saliency map over it, as RGBA pixels. */
import { BUILTINS, DEFAULT_DATASET, type ImageShape } from '@shared/dataset'

/** Heat below this share of the map's scale is left untinted, so the image stays readable. */
const FLOOR = 0.15
/** Fashion-MNIST's input, when a caller names no shape. */
const DEFAULT_SHAPE: ImageShape = BUILTINS[DEFAULT_DATASET].shape

/** How a model input is painted. */
export interface ModelInputLook {
  /**
   * Exactly the values the model gets (Try it); otherwise as the galleries draw test images: a
   * grayscale ink-on-black image (the MNIST family) dark on light, anything else as it is.
   */
  asModelSees?: boolean
  /** Largest share of red over the strongest pixels, 0–1 (default 0.9); lower keeps the image visible under the map. */
  opacity?: number
  /** The input's shape (default 28×28 gray); the saliency map has one value per pixel (height × width). */
  shape?: ImageShape
  /** Outside `asModelSees`, draw grayscale inverted (default true: the MNIST family's light ink on black). */
  invert?: boolean
}

/**
 * RGBA of `pixels`; with `saliency`, the magnitude of each pixel's gradient tints it red. The scale
 * is the map's 99th percentile, so one extreme pixel does not wash out the rest.
 */
export function saliencyRgba(pixels: Uint8Array, saliency?: Float32Array | null, look: ModelInputLook = {}): Uint8ClampedArray {
  const { height, width, channels } = look.shape ?? DEFAULT_SHAPE
  const count = height * width
  const out = new Uint8ClampedArray(count * 4)
  const opacity = look.opacity ?? 0.9
  const invert = !look.asModelSees && channels === 1 && (look.invert ?? true)
  let scale = 0
  if (saliency) {
    const sorted = Array.from(saliency, Math.abs).sort((a, b) => a - b)
    scale = sorted[Math.floor(0.99 * (sorted.length - 1))] || sorted[sorted.length - 1]
  }
  const tint = [235, 30, 20]
  for (let p = 0; p < count; p++) {
    let heat = saliency && scale > 0 ? Math.min(1, Math.abs(saliency[p]) / scale) : 0
    heat = heat < FLOOR ? 0 : (heat - FLOOR) / (1 - FLOOR)
    const a = opacity * heat
    for (let k = 0; k < 3; k++) {
      const raw = pixels[p * channels + (channels === 3 ? k : 0)] ?? 0
      const v = invert ? 255 - raw : raw
      out[p * 4 + k] = v * (1 - a) + tint[k] * a
    }
    out[p * 4 + 3] = 255
  }
  return out
}

/** Paints the picture onto a canvas of the input's size (CSS scales it). */
export function drawModelInput(
  canvas: HTMLCanvasElement,
  pixels: Uint8Array,
  saliency?: Float32Array | null,
  look: ModelInputLook = {}
): void {
  const ctx = canvas.getContext('2d')
  if (!ctx || typeof ImageData === 'undefined') return
  const { height, width } = look.shape ?? DEFAULT_SHAPE
  ctx.putImageData(new ImageData(saliencyRgba(pixels, saliency, look) as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0)
}
