/** Decodes a dropped or opened image file in the renderer into the model's input, prepared as the run's dataset says. */
import { imageLimitProblem, pngSize } from '@shared/model-input'
import { imageBytes, type Preprocessing } from '@shared/dataset'
import { FASHION_MNIST } from './datasetImage'
import { prepareModelInput } from '@shared/model-input'

/** Longest side of the preview kept of an opened file: the drawing pad's size. */
const PREVIEW_SIDE = 280

/** An opened file: what the model sees, and a small copy of the picture itself to show. */
export interface OpenedImage {
  /** The bytes the model sees (height × width × channels). */
  pixels: Uint8Array
  /** The picture scaled to fit 280×280, aspect kept; the caller closes it. */
  preview: ImageBitmap
}

/** Decodes `file`; throws an Error worded for a person when the file cannot be used. */
export async function imageFileInput(file: File, pre: Preprocessing = FASHION_MNIST.preprocessing): Promise<OpenedImage> {
  const tooBig = imageLimitProblem({ bytes: file.size })
  if (tooBig) throw new Error(`${file.name} ${tooBig}.`)
  // A PNG says its size in its header: refuse a 39,999,999 × 1 strip before the browser decodes it.
  const header = pngSize(new Uint8Array(await file.slice(0, 24).arrayBuffer()))
  const headerProblem = header && imageLimitProblem(header)
  if (headerProblem) throw new Error(`${file.name} ${headerProblem}.`)
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    throw new Error(`${file.name} is not an image this window can read; use a PNG, JPEG or WebP file.`)
  }
  try {
    const dims = imageLimitProblem({ width: bitmap.width, height: bitmap.height })
    if (dims) throw new Error(`${file.name} ${dims}.`)
    const canvas = document.createElement('canvas')
    canvas.width = bitmap.width
    canvas.height = bitmap.height
    const ctx = canvas.getContext('2d', { willReadFrequently: true })
    if (!ctx) throw new Error('this window cannot draw images (no 2D canvas)')
    ctx.drawImage(bitmap, 0, 0)
    const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height)
    const pixels = prepareModelInput({ width, height, data }, pre)
    const scale = Math.min(1, PREVIEW_SIDE / Math.max(width, height))
    const preview = await createImageBitmap(bitmap, {
      resizeWidth: Math.max(1, Math.round(width * scale)),
      resizeHeight: Math.max(1, Math.round(height * scale)),
      resizeQuality: 'high'
    })
    return { pixels, preview }
  } finally {
    bitmap.close()
  }
}

/** The model input of a canvas the person drew on (light strokes on black). */
export function canvasInput(canvas: HTMLCanvasElement, pre: Preprocessing = FASHION_MNIST.preprocessing): Uint8Array {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) return new Uint8Array(imageBytes({ height: pre.height, width: pre.width, channels: pre.color === 'rgb' ? 3 : 1 }))
  const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height)
  return prepareModelInput({ width, height, data }, pre)
}
