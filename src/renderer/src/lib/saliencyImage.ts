/** Draws a 28×28 model input, optionally with a saliency map over it, as RGBA pixels. */
import { MODEL_PIXELS } from '@shared/model-input'

/** Heat below this share of the map's scale is left untinted, so the image stays readable. */
const FLOOR = 0.15

/**
 * RGBA of `pixels` drawn dark on light (as the galleries draw test images); with `saliency`, the
 * magnitude of each pixel's gradient tints it red. The scale is the map's 99th percentile, so one
 * extreme pixel does not wash out the rest.
 */
export function saliencyRgba(pixels: Uint8Array, saliency?: Float32Array | null): Uint8ClampedArray {
  const out = new Uint8ClampedArray(MODEL_PIXELS * 4)
  let scale = 0
  if (saliency) {
    const sorted = Array.from(saliency, Math.abs).sort((a, b) => a - b)
    scale = sorted[Math.floor(0.99 * (sorted.length - 1))] || sorted[sorted.length - 1]
  }
  for (let p = 0; p < MODEL_PIXELS; p++) {
    const gray = 255 - pixels[p]
    let heat = saliency && scale > 0 ? Math.min(1, Math.abs(saliency[p]) / scale) : 0
    heat = heat < FLOOR ? 0 : (heat - FLOOR) / (1 - FLOOR)
    const a = 0.9 * heat
    out[p * 4] = gray * (1 - a) + 235 * a
    out[p * 4 + 1] = gray * (1 - a) + 30 * a
    out[p * 4 + 2] = gray * (1 - a) + 20 * a
    out[p * 4 + 3] = 255
  }
  return out
}

/** Paints the picture onto a 28×28 canvas. */
export function drawModelInput(canvas: HTMLCanvasElement, pixels: Uint8Array, saliency?: Float32Array | null): void {
  const ctx = canvas.getContext('2d')
  if (!ctx || typeof ImageData === 'undefined') return
  ctx.putImageData(new ImageData(saliencyRgba(pixels, saliency) as Uint8ClampedArray<ArrayBuffer>, 28, 28), 0, 0)
}
