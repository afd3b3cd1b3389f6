/** Draws a 28×28 model input, optionally with a saliency map over it, as RGBA pixels. */
import { MODEL_PIXELS } from '@shared/model-input'

/** Heat below this share of the map's scale is left untinted, so the image stays readable. */
const FLOOR = 0.15

/** How a model input is painted. */
export interface ModelInputLook {
  /** Light object on black, exactly the values the model gets (Try it); otherwise dark on light, as the galleries draw test images. */
  asModelSees?: boolean
  /** Largest share of red over the strongest pixels, 0–1 (default 0.9); lower keeps the image visible under the map. */
  opacity?: number
}

/**
 * RGBA of `pixels`; with `saliency`, the magnitude of each pixel's gradient tints it red. The scale
 * is the map's 99th percentile, so one extreme pixel does not wash out the rest.
 */
export function saliencyRgba(pixels: Uint8Array, saliency?: Float32Array | null, look: ModelInputLook = {}): Uint8ClampedArray {
  const out = new Uint8ClampedArray(MODEL_PIXELS * 4)
  const opacity = look.opacity ?? 0.9
  let scale = 0
  if (saliency) {
    const sorted = Array.from(saliency, Math.abs).sort((a, b) => a - b)
    scale = sorted[Math.floor(0.99 * (sorted.length - 1))] || sorted[sorted.length - 1]
  }
  for (let p = 0; p < MODEL_PIXELS; p++) {
    const gray = look.asModelSees ? pixels[p] : 255 - pixels[p]
    let heat = saliency && scale > 0 ? Math.min(1, Math.abs(saliency[p]) / scale) : 0
    heat = heat < FLOOR ? 0 : (heat - FLOOR) / (1 - FLOOR)
    const a = opacity * heat
    out[p * 4] = gray * (1 - a) + 235 * a
    out[p * 4 + 1] = gray * (1 - a) + 30 * a
    out[p * 4 + 2] = gray * (1 - a) + 20 * a
    out[p * 4 + 3] = 255
  }
  return out
}

/** Paints the picture onto a 28×28 canvas. */
export function drawModelInput(
  canvas: HTMLCanvasElement,
  pixels: Uint8Array,
  saliency?: Float32Array | null,
  look: ModelInputLook = {}
): void {
  const ctx = canvas.getContext('2d')
  if (!ctx || typeof ImageData === 'undefined') return
  ctx.putImageData(new ImageData(saliencyRgba(pixels, saliency, look) as Uint8ClampedArray<ArrayBuffer>, 28, 28), 0, 0)
}
