/**
 * A picture (decoded RGBA) prepared as the run's dataset prepares its images, for Try it.
 *
 * SEAM (issue 17): the MNIST family's `ink-box` rule is the shared `toModelInput` (one implementation
 * with the CLI). The `cover` rule (scale the shorter side to fit, centre-crop, gray or RGB) is being
 * added to `src/shared/model-input.ts` by the trainer's owner; until then {@link coverInput} below
 * does it here. When the shared function lands, call it from {@link prepareModelInput} and delete
 * {@link coverInput}, so the CLI, `predict` and Try it share one rule again.
 */
import type { Preprocessing } from '@shared/dataset'
import { MODEL_SIDE, toModelInput, type RgbaImage } from '@shared/model-input'

/** The model's input bytes (height × width × channels, HWC) for `image` under `pre`. */
export function prepareModelInput(image: RgbaImage, pre: Preprocessing): Uint8Array {
  if (pre.fit === 'ink-box' && pre.color === 'gray' && pre.height === MODEL_SIDE && pre.width === MODEL_SIDE) return toModelInput(image)
  return coverInput(image, pre)
}

/**
 * Scales `image` so its shorter side fits the target, crops the centre, composites transparency over
 * white and converts to the colour mode; each output pixel averages the source pixels it covers.
 */
export function coverInput(image: RgbaImage, pre: Pick<Preprocessing, 'height' | 'width' | 'color'>): Uint8Array {
  const { width: sw, height: sh, data } = image
  const channels = pre.color === 'rgb' ? 3 : 1
  const out = new Uint8Array(pre.height * pre.width * channels)
  const scale = Math.max(pre.width / sw, pre.height / sh)
  // The source window the target covers, centred.
  const cropW = pre.width / scale
  const cropH = pre.height / scale
  const x0 = (sw - cropW) / 2
  const y0 = (sh - cropH) / 2
  const rgb = [0, 0, 0]
  for (let y = 0; y < pre.height; y++) {
    const ya = y0 + (y * cropH) / pre.height
    const yb = y0 + ((y + 1) * cropH) / pre.height
    for (let x = 0; x < pre.width; x++) {
      const xa = x0 + (x * cropW) / pre.width
      const xb = x0 + ((x + 1) * cropW) / pre.width
      rgb[0] = rgb[1] = rgb[2] = 0
      let n = 0
      for (let sy = Math.floor(ya); sy < Math.max(Math.floor(ya) + 1, Math.ceil(yb)); sy++) {
        for (let sx = Math.floor(xa); sx < Math.max(Math.floor(xa) + 1, Math.ceil(xb)); sx++) {
          const i = (Math.min(sh - 1, Math.max(0, sy)) * sw + Math.min(sw - 1, Math.max(0, sx))) * 4
          const a = data[i + 3] / 255
          for (let k = 0; k < 3; k++) rgb[k] += data[i + k] * a + 255 * (1 - a)
          n++
        }
      }
      const o = (y * pre.width + x) * channels
      if (channels === 3) for (let k = 0; k < 3; k++) out[o + k] = Math.round(rgb[k] / n)
      else out[o] = Math.round((0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / n)
    }
  }
  return out
}
