/**
 * Turns any picture into the input a model sees, as its dataset's {@link Preprocessing} says; shared by
 * the CLI (images decoded with sharp) and the renderer (decoded with createImageBitmap), so both
 * predict the same thing for a file. Pure functions, no DOM and no Node.
 *
 * - {@link prepareModelInput}: any model; dispatches on `preprocessing.fit`.
 * - `cover` ({@link coverInput}): the picture (transparency over white) is scaled so its shorter side
 *   fits, centre-cropped to height × width (box filter), kept RGB or grayscaled (0.299 R + 0.587 G + 0.114 B).
 * - `ink-box` ({@link inkBoxInput}), rules below.
 *
 * Ink-box rules: grayscale; transparent pixels count as white paper; inverted when the border is light
 * (Fashion-MNIST is a light object on black); the object's bounding box is cut out, its longest edge
 * scaled to 28 pixels with the aspect kept (as Zalando prepared the dataset) and centred, its
 * strongest ink stretched to white. A picture
 * that is already 28×28 is only grayscaled and inverted, so a test image saved as PNG comes back exact.
 */
import { imageBytes, type ImageShape, type Preprocessing } from './dataset'

/** Largest image file accepted, in bytes. */
export const MAX_IMAGE_BYTES = 25 * 1024 * 1024
/** Largest image accepted, in pixels (width × height). */
export const MAX_IMAGE_PIXELS = 40_000_000
/** Largest accepted ratio of an image's longer side to its shorter side (a strip of 39,999,999 × 1 is no photo). */
export const MAX_IMAGE_ASPECT = 50
/** Model inputs whose brightest and darkest pixels differ by no more than this are blank. */
const BLANK_SPREAD = 8

/** An image refused by {@link prepareModelInput}; the message completes a sentence that starts with the file's name. */
export class ImageLimitError extends Error {}

/** Decoded pixels: `width × height × 4` RGBA bytes, row-major. */
export interface RgbaImage {
  width: number
  height: number
  data: Uint8Array | Uint8ClampedArray
}

/** A reason an image cannot be used and what to do, worded to follow the file's name; null when it is fine. */
export function imageLimitProblem(size: { bytes?: number; width?: number; height?: number }): string | null {
  if (size.bytes !== undefined && size.bytes > MAX_IMAGE_BYTES) {
    return `is ${(size.bytes / 1024 / 1024).toFixed(1)} MB; images up to ${MAX_IMAGE_BYTES / 1024 / 1024} MB are accepted`
  }
  if (size.width !== undefined && size.height !== undefined) {
    if (size.width < 1 || size.height < 1) return 'has no pixels'
    if (size.width * size.height > MAX_IMAGE_PIXELS) {
      return `is ${size.width}×${size.height} pixels; images up to ${MAX_IMAGE_PIXELS / 1e6} megapixels are accepted; scale it down first`
    }
    const long = Math.max(size.width, size.height)
    const short = Math.min(size.width, size.height)
    if (long > short * MAX_IMAGE_ASPECT) {
      return `is ${size.width}×${size.height} pixels, ${Math.round(long / short)} times as ${size.width > size.height ? 'wide as tall' : 'tall as wide'}; images up to ${MAX_IMAGE_ASPECT} times longer on one side than the other are accepted; crop it to the object first`
    }
  }
  return null
}

/**
 * Width and height from a PNG's header (its first 24 bytes), or null when `head` is not a PNG; lets
 * the page refuse an absurd PNG before the browser decodes it.
 */
export function pngSize(head: Uint8Array): { width: number; height: number } | null {
  const signature = [137, 80, 78, 71, 13, 10, 26, 10]
  if (head.length < 24 || signature.some((b, i) => head[i] !== b)) return null
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

/** Luminance 0–255 of each pixel, alpha composited over white. */
function grayscale(image: RgbaImage): Float32Array {
  const { width, height, data } = image
  const out = new Float32Array(width * height)
  for (let i = 0; i < out.length; i++) {
    const a = data[i * 4 + 3] / 255
    const lum = 0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2]
    out[i] = lum * a + 255 * (1 - a)
  }
  return out
}

/** Bins per gray level in the border histogram: the median is found to 1/16 of a level. */
const BINS_PER_LEVEL = 16

/**
 * Median of the outermost rows and columns (to 1/16 level below): the background level. A histogram, not a sort, so the
 * work is one pass over the border and the memory a fixed 4,096 counters whatever the image's shape.
 */
function borderLevel(gray: Float32Array, width: number, height: number): number {
  const bins = new Uint32Array(256 * BINS_PER_LEVEL)
  let count = 0
  const add = (i: number): void => {
    bins[Math.min(bins.length - 1, Math.floor(gray[i] * BINS_PER_LEVEL))]++
    count++
  }
  for (let x = 0; x < width; x++) {
    add(x)
    if (height > 1) add((height - 1) * width + x)
  }
  for (let y = 1; y < height - 1; y++) {
    add(y * width)
    if (width > 1) add(y * width + width - 1)
  }
  const middle = Math.floor(count / 2)
  let seen = 0
  for (let b = 0; b < bins.length; b++) {
    seen += bins[b]
    if (seen > middle) return b / BINS_PER_LEVEL
  }
  return 0
}

/**
 * True when a model input is one flat colour (all black, all white, transparent, a single pixel):
 * there is nothing to recognise, and the model's answer for it means nothing.
 */
export function isBlankInput(pixels: Uint8Array): boolean {
  let min = 255
  let max = 0
  for (const v of pixels) {
    if (v < min) min = v
    if (v > max) max = v
  }
  return max - min <= BLANK_SPREAD
}

/** Said wherever a blank image is predicted (Try it, `predict`). */
export const BLANK_IMAGE_NOTE = 'the image is blank (one flat colour, nothing to recognise), so its prediction means nothing'

/** Mean of the source area under each destination pixel (box filter), for any scale. */
function resample(
  src: Float32Array,
  srcWidth: number,
  box: { x: number; y: number; w: number; h: number },
  w: number,
  h: number
): Float32Array {
  const out = new Float32Array(w * h)
  const sx = box.w / w
  const sy = box.h / h
  for (let oy = 0; oy < h; oy++) {
    const y0 = box.y + oy * sy
    const y1 = y0 + sy
    for (let ox = 0; ox < w; ox++) {
      const x0 = box.x + ox * sx
      const x1 = x0 + sx
      let sum = 0
      let area = 0
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = Math.min(y1, y + 1) - Math.max(y0, y)
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const wx = Math.min(x1, x + 1) - Math.max(x0, x)
          sum += src[y * srcWidth + x] * wx * wy
          area += wx * wy
        }
      }
      out[oy * w + ox] = area > 0 ? sum / area : 0
    }
  }
  return out
}

/** Refuses images beyond the limits, and RGBA data of the wrong length. */
function checkImage(image: RgbaImage): void {
  const { width, height } = image
  const limit = imageLimitProblem({ width, height })
  if (limit) throw new ImageLimitError(limit)
  if (image.data.length !== width * height * 4) throw new Error(`expected ${width * height * 4} RGBA bytes, got ${image.data.length}`)
}

/**
 * The ink-box rule for any size: `outHeight × outWidth` grayscale bytes, light object on black, the
 * object's bounding box scaled to fit (aspect kept) and centred. A picture of exactly that size is only
 * grayscaled and inverted. Work and memory grow with the pixel count only (one float per pixel besides the
 * image); images beyond the limits of {@link imageLimitProblem} are refused with an {@link ImageLimitError}.
 */
export function inkBoxInput(image: RgbaImage, outHeight: number, outWidth: number): Uint8Array {
  checkImage(image)
  const { width, height } = image
  const exact = width === outWidth && height === outHeight
  const gray = grayscale(image)
  const background = borderLevel(gray, width, height)
  const invert = background > 127
  // Ink: how far each pixel is from the background, 0 on the background itself (written over the gray levels).
  const ink = gray
  const bg = invert ? 255 - background : background
  const range = Math.max(1, 255 - bg)
  for (let i = 0; i < gray.length; i++) {
    const v = invert ? 255 - gray[i] : gray[i]
    ink[i] = exact ? v : Math.max(0, ((v - bg) * 255) / range)
  }
  const out = new Uint8Array(outHeight * outWidth)
  if (exact) {
    for (let i = 0; i < out.length; i++) out[i] = Math.round(ink[i])
    return out
  }
  // Bounding box of clear ink (a tenth of the strongest), so faint noise does not widen it.
  let peak = 0
  for (const v of ink) peak = Math.max(peak, v)
  if (peak === 0) return out
  const threshold = peak * 0.1
  let minX = width,
    minY = height,
    maxX = -1,
    maxY = -1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] <= threshold) continue
      if (x < minX) minX = x
      if (x > maxX) maxX = x
      if (y < minY) minY = y
      if (y > maxY) maxY = y
    }
  }
  const box = { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 }
  // For a square output this is side / longest edge, exactly as before.
  const scale = Math.min(outWidth / box.w, outHeight / box.h)
  const w = Math.max(1, Math.min(outWidth, Math.round(box.w * scale)))
  const h = Math.max(1, Math.min(outHeight, Math.round(box.h * scale)))
  // Stretch so the strongest ink is white, as in the dataset, whatever the photo's contrast.
  for (let i = 0; i < ink.length; i++) ink[i] = (ink[i] * 255) / peak
  const fitted = resample(ink, width, box, w, h)
  const left = Math.floor((outWidth - w) / 2)
  const top = Math.floor((outHeight - h) / 2)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[(top + y) * outWidth + left + x] = Math.round(Math.min(255, fitted[y * w + x]))
  }
  return out
}

/**
 * The `cover` rule: `height × width × (1 or 3)` bytes (row-major HWC). Transparent pixels count as
 * white; the picture is scaled so its shorter side fits, the middle is cut out, each output pixel is
 * the mean of the source area under it (box filter) per channel; `gray` uses the luminance weights of
 * the ink-box rule. Work grows with the pixel count only; nothing the size of the picture is allocated.
 */
export function coverInput(image: RgbaImage, target: Pick<Preprocessing, 'height' | 'width' | 'color'>): Uint8Array {
  checkImage(image)
  const { width: iw, height: ih, data } = image
  const { height: oh, width: ow } = target
  const channels = target.color === 'rgb' ? 3 : 1
  const scale = Math.max(ow / iw, oh / ih)
  // The source area the output covers, centred.
  const cropW = ow / scale
  const cropH = oh / scale
  const x0 = (iw - cropW) / 2
  const y0 = (ih - cropH) / 2
  const sx = cropW / ow
  const sy = cropH / oh
  const out = new Uint8Array(oh * ow * channels)
  const sum = [0, 0, 0]
  for (let oy = 0; oy < oh; oy++) {
    const ya = y0 + oy * sy
    const yb = ya + sy
    for (let ox = 0; ox < ow; ox++) {
      const xa = x0 + ox * sx
      const xb = xa + sx
      sum[0] = sum[1] = sum[2] = 0
      let area = 0
      for (let y = Math.max(0, Math.floor(ya)); y < Math.min(ih, Math.ceil(yb)); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y)
        for (let x = Math.max(0, Math.floor(xa)); x < Math.min(iw, Math.ceil(xb)); x++) {
          const wgt = (Math.min(xb, x + 1) - Math.max(xa, x)) * wy
          const i = (y * iw + x) * 4
          const a = data[i + 3] / 255
          for (let c = 0; c < 3; c++) sum[c] += (data[i + c] * a + 255 * (1 - a)) * wgt
          area += wgt
        }
      }
      const o = (oy * ow + ox) * channels
      if (channels === 3) {
        for (let c = 0; c < 3; c++) out[o + c] = Math.round(Math.min(255, sum[c] / area))
      } else {
        out[o] = Math.round(Math.min(255, (0.299 * sum[0] + 0.587 * sum[1] + 0.114 * sum[2]) / area))
      }
    }
  }
  return out
}

/** The shape of the input a preprocessing produces. */
export const preprocessingShape = (p: Preprocessing): ImageShape => ({
  height: p.height,
  width: p.width,
  channels: p.color === 'rgb' ? 3 : 1
})

/**
 * The bytes a model trained with `preprocessing` sees for any picture: `height × width × channels`
 * (HWC, 0–255; the model multiplies them by `preprocessing.scale`). Throws an {@link ImageLimitError}
 * for images beyond the limits.
 */
export function prepareModelInput(image: RgbaImage, preprocessing: Preprocessing): Uint8Array {
  if (preprocessing.fit === 'cover') return coverInput(image, preprocessing)
  const gray = inkBoxInput(image, preprocessing.height, preprocessing.width)
  if (preprocessing.color === 'gray') return gray
  // An ink-box rule with colour output repeats the gray level in each channel.
  const out = new Uint8Array(gray.length * 3)
  for (let i = 0; i < gray.length; i++) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = gray[i]
  return out
}

/** RGBA pixels (for a canvas `ImageData`) of a model input of `shape`: gray repeated in R, G and B, opaque. */
export function inputToRgba(pixels: Uint8Array, shape: ImageShape): Uint8ClampedArray {
  const n = shape.height * shape.width
  if (pixels.length !== imageBytes(shape))
    throw new Error(`expected ${imageBytes(shape)} bytes for ${shape.height}×${shape.width}×${shape.channels}, got ${pixels.length}`)
  const out = new Uint8ClampedArray(n * 4)
  for (let p = 0; p < n; p++) {
    if (shape.channels === 3) {
      out[p * 4] = pixels[p * 3]
      out[p * 4 + 1] = pixels[p * 3 + 1]
      out[p * 4 + 2] = pixels[p * 3 + 2]
    } else {
      out[p * 4] = out[p * 4 + 1] = out[p * 4 + 2] = pixels[p]
    }
    out[p * 4 + 3] = 255
  }
  return out
}
