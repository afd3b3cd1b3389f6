/**
 * Turns any picture into the 28×28 a Fashion-MNIST model sees; shared by the CLI (images decoded with
 * sharp) and the renderer (decoded with createImageBitmap), so both predict the same thing for a file.
 *
 * Rules: grayscale; transparent pixels count as white paper; inverted when the border is light
 * (Fashion-MNIST is a light object on black); the object's bounding box is cut out, its longest edge
 * scaled to 28 pixels with the aspect kept (as Zalando prepared the dataset) and centred, its
 * strongest ink stretched to white. A picture
 * that is already 28×28 is only grayscaled and inverted, so a test image saved as PNG comes back exact.
 */

export const MODEL_SIDE = 28
export const MODEL_PIXELS = MODEL_SIDE * MODEL_SIDE
/** Largest image file accepted, in bytes. */
export const MAX_IMAGE_BYTES = 25 * 1024 * 1024
/** Largest image accepted, in pixels (width × height). */
export const MAX_IMAGE_PIXELS = 40_000_000

/** Decoded pixels: `width × height × 4` RGBA bytes, row-major. */
export interface RgbaImage {
  width: number
  height: number
  data: Uint8Array | Uint8ClampedArray
}

/** A reason an image cannot be used, worded for a person; null when it is fine. */
export function imageLimitProblem(size: { bytes?: number; width?: number; height?: number }): string | null {
  if (size.bytes !== undefined && size.bytes > MAX_IMAGE_BYTES) {
    return `is ${(size.bytes / 1024 / 1024).toFixed(1)} MB; images up to ${MAX_IMAGE_BYTES / 1024 / 1024} MB are accepted`
  }
  if (size.width !== undefined && size.height !== undefined) {
    if (size.width < 1 || size.height < 1) return 'has no pixels'
    if (size.width * size.height > MAX_IMAGE_PIXELS) {
      return `is ${size.width}×${size.height} pixels; images up to ${MAX_IMAGE_PIXELS / 1e6} megapixels are accepted`
    }
  }
  return null
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

/** Median of the outermost rows and columns: the background level. */
function borderLevel(gray: Float32Array, width: number, height: number): number {
  const border: number[] = []
  for (let x = 0; x < width; x++) border.push(gray[x], gray[(height - 1) * width + x])
  for (let y = 1; y < height - 1; y++) border.push(gray[y * width], gray[y * width + width - 1])
  border.sort((a, b) => a - b)
  return border[Math.floor(border.length / 2)]
}

/** Mean of the source area under each destination pixel (box filter), for any scale. */
function resample(src: Float32Array, srcWidth: number, box: { x: number; y: number; w: number; h: number }, w: number, h: number): Float32Array {
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

/** The 784 bytes (0–255, light object on black) the model sees for `image`. */
export function toModelInput(image: RgbaImage): Uint8Array {
  const { width, height } = image
  if (image.data.length !== width * height * 4) throw new Error(`expected ${width * height * 4} RGBA bytes, got ${image.data.length}`)
  const gray = grayscale(image)
  const background = borderLevel(gray, width, height)
  const invert = background > 127
  // Ink: how far each pixel is from the background, 0 on the background itself.
  const ink = new Float32Array(gray.length)
  const bg = invert ? 255 - background : background
  const range = Math.max(1, 255 - bg)
  for (let i = 0; i < gray.length; i++) {
    const v = invert ? 255 - gray[i] : gray[i]
    ink[i] = width === MODEL_SIDE && height === MODEL_SIDE ? v : Math.max(0, ((v - bg) * 255) / range)
  }
  const out = new Uint8Array(MODEL_PIXELS)
  if (width === MODEL_SIDE && height === MODEL_SIDE) {
    for (let i = 0; i < MODEL_PIXELS; i++) out[i] = Math.round(ink[i])
    return out
  }
  // Bounding box of clear ink (a tenth of the strongest), so faint noise does not widen it.
  let peak = 0
  for (const v of ink) peak = Math.max(peak, v)
  if (peak === 0) return out
  const threshold = peak * 0.1
  let minX = width, minY = height, maxX = -1, maxY = -1
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
  const scale = MODEL_SIDE / Math.max(box.w, box.h)
  const w = Math.max(1, Math.min(MODEL_SIDE, Math.round(box.w * scale)))
  const h = Math.max(1, Math.min(MODEL_SIDE, Math.round(box.h * scale)))
  // Stretch so the strongest ink is white, as in the dataset, whatever the photo's contrast.
  for (let i = 0; i < ink.length; i++) ink[i] = (ink[i] * 255) / peak
  const fitted = resample(ink, width, box, w, h)
  const left = Math.floor((MODEL_SIDE - w) / 2)
  const top = Math.floor((MODEL_SIDE - h) / 2)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[(top + y) * MODEL_SIDE + left + x] = Math.round(Math.min(255, fitted[y * w + x]))
  }
  return out
}
