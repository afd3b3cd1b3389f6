/** Decodes an image file (PNG, JPEG, WebP…) into the 28×28 model input, with sharp. */
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import sharp, { type OutputInfo } from 'sharp'
import { MAX_IMAGE_PIXELS, imageLimitProblem, toModelInput } from '@shared/model-input'

/** An image that cannot be used; the message names the file and what to do. */
export class ImageInputError extends Error {}

/** The 784 model-input bytes of an encoded image. `name` is only used in messages. */
export async function decodeImageBytes(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  const tooBig = imageLimitProblem({ bytes: bytes.length })
  if (tooBig) throw new ImageInputError(`${name} ${tooBig}.`)
  let decoded: { data: Buffer; info: OutputInfo }
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata()
    const dims = imageLimitProblem({ width: meta.width, height: meta.height })
    if (dims) throw new ImageInputError(`${name} ${dims}; scale it down first.`)
    decoded = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  } catch (cause) {
    if (cause instanceof ImageInputError) throw cause
    throw new ImageInputError(`${name} is not an image Atelier can read (${(cause as Error).message}); use a PNG, JPEG or WebP file.`)
  }
  const { width, height, channels } = decoded.info
  if (channels !== 4) throw new ImageInputError(`${name} decoded to ${channels} channels instead of RGBA.`)
  return toModelInput({ width, height, data: new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length) })
}

/** Reads and decodes an image file; the size limit is checked before reading. */
export async function decodeImageFile(path: string): Promise<Uint8Array> {
  const name = basename(path)
  let size: number
  try {
    size = (await stat(path)).size
  } catch (cause) {
    throw new ImageInputError(`${path} cannot be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}).`)
  }
  const tooBig = imageLimitProblem({ bytes: size })
  if (tooBig) throw new ImageInputError(`${name} ${tooBig}.`)
  return decodeImageBytes(await readFile(path), name)
}
