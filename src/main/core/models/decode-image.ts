/** Decodes an image file (PNG, JPEG, WebP…) into a model's input as its dataset's preprocessing says, with sharp. */
import { constants, type Stats } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import sharp, { type OutputInfo } from 'sharp'
import { BUILTINS, DEFAULT_DATASET, type Preprocessing } from '@shared/dataset'
import { ImageLimitError, MAX_IMAGE_PIXELS, imageLimitProblem, prepareModelInput } from '@shared/model-input'

/** An image that cannot be used; the message names the file and what to do. */
export class ImageInputError extends Error {}

/** Fashion-MNIST's preprocessing (the MNIST family's ink-box rule at 28×28), for callers that name none. */
const DEFAULT_PREPROCESSING: Preprocessing = BUILTINS[DEFAULT_DATASET].preprocessing

/**
 * The model-input bytes (`height × width × channels`, HWC) of an encoded image prepared per
 * `preprocessing` (default Fashion-MNIST's). `name` is only used in messages.
 */
export async function decodeImageBytes(
  bytes: Uint8Array,
  name: string,
  preprocessing: Preprocessing = DEFAULT_PREPROCESSING
): Promise<Uint8Array> {
  const tooBig = imageLimitProblem({ bytes: bytes.length })
  if (tooBig) throw new ImageInputError(`${name} ${tooBig}.`)
  let decoded: { data: Buffer; info: OutputInfo }
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata()
    const dims = imageLimitProblem({ width: meta.width, height: meta.height })
    if (dims) throw new ImageInputError(`${name} ${dims}.`)
    decoded = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  } catch (cause) {
    if (cause instanceof ImageInputError) throw cause
    throw new ImageInputError(`${name} is not an image Atelier can read (${(cause as Error).message}); use a PNG, JPEG or WebP file.`)
  }
  const { width, height, channels } = decoded.info
  if (channels !== 4) throw new ImageInputError(`${name} decoded to ${channels} channels instead of RGBA.`)
  try {
    return prepareModelInput(
      { width, height, data: new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length) },
      preprocessing
    )
  } catch (cause) {
    if (cause instanceof ImageLimitError) throw new ImageInputError(`${name} ${cause.message}.`)
    throw cause
  }
}

/** What a path that is not a regular file is, for the message that refuses it. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (stats.isFIFO()) return 'a pipe'
  if (stats.isSocket()) return 'a socket'
  return 'a special file'
}

/**
 * Reads and decodes an image file into a model input per `preprocessing` (default Fashion-MNIST's). Folders, devices and pipes are refused before any byte is read
 * (`/dev/zero` would never end), and the size limit is checked before reading.
 */
export async function decodeImageFile(path: string, preprocessing: Preprocessing = DEFAULT_PREPROCESSING): Promise<Uint8Array> {
  const name = basename(path)
  let bytes: Buffer
  // Non-blocking, so opening a pipe with no writer returns at once instead of waiting for one.
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((cause: NodeJS.ErrnoException) => {
    throw new ImageInputError(`${path} cannot be read (${cause.code ?? cause.message}).`)
  })
  try {
    const stats = await file.stat()
    if (!stats.isFile())
      throw new ImageInputError(`${path} is ${kindOf(stats)}, not an image file; give the path of a PNG, JPEG or WebP file.`)
    const tooBig = imageLimitProblem({ bytes: stats.size })
    if (tooBig) throw new ImageInputError(`${name} ${tooBig}.`)
    bytes = await file.readFile()
  } catch (cause) {
    if (cause instanceof ImageInputError) throw cause
    throw new ImageInputError(`${path} cannot be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}).`)
  } finally {
    await file.close()
  }
  return decodeImageBytes(bytes, name, preprocessing)
}
