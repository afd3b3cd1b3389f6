/**
 * Reads one image file of a folder import, in two steps: {@link probeImage} (header and digest only,
 * nothing decoded) and {@link decodeCover} (decoded, oriented, flattened, cover-resized, converted).
 *
 * The cover rule (the trainer's `predict` for `Preprocessing.fit = 'cover'` follows the same steps):
 * EXIF orientation applied; the first frame of an animation; transparent pixels composited over white;
 * scaled so the shorter side fits the square (Lanczos), centre-cropped; converted to 8-bit grayscale
 * (1 channel, libvips' luminance) or sRGB (3 channels).
 */
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import sharp, { type Metadata } from 'sharp'
import { MAX_IMAGE_PIXELS, imageLimitProblem } from '@shared/model-input'

/** Formats imported (by content, not by name). */
const FORMATS = new Set(['png', 'jpeg', 'webp', 'gif'])
/** Files larger than this are not read (a photo is a few MB; the pixel limit applies as well). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024

/** A file that can be imported: what the header says and the digest of its bytes. */
export interface ProbedImage {
  ok: true
  /** Hex SHA-256 of the file's bytes (identical files are imported once per split). */
  sha256: string
  width: number
  height: number
  /** The file stores one gray channel (with or without alpha). */
  gray: boolean
}

export type ProbeResult = ProbedImage | { ok: false; reason: string }

const errorText = (cause: unknown): string =>
  (cause as NodeJS.ErrnoException).code ?? (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]

/** Reads a whole regular file, refusing anything larger than {@link MAX_FILE_BYTES} before reading it. */
export async function readImageFile(path: string): Promise<{ bytes: Buffer } | { reason: string }> {
  let file
  try {
    // Non-blocking, so a link to a pipe with no writer is refused instead of waiting forever.
    file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (cause) {
    return { reason: `cannot be read (${errorText(cause)})` }
  }
  try {
    const stats = await file.stat()
    if (!stats.isFile()) return { reason: 'not a regular file' }
    if (stats.size > MAX_FILE_BYTES)
      return { reason: `file of ${(stats.size / 1024 / 1024).toFixed(0)} MB; files up to ${MAX_FILE_BYTES / 1024 / 1024} MB are read` }
    if (stats.size === 0) return { reason: 'empty file' }
    return { bytes: await file.readFile() }
  } catch (cause) {
    return { reason: `cannot be read (${errorText(cause)})` }
  } finally {
    await file.close()
  }
}

/** Header, size limits and digest of one file; the reason when it cannot be imported. Never throws. */
export async function probeImage(path: string): Promise<ProbeResult> {
  const read = await readImageFile(path)
  return 'reason' in read ? { ok: false, reason: read.reason } : probeBytes(read.bytes)
}

/** {@link probeImage} for bytes already read. */
export async function probeBytes(bytes: Buffer): Promise<ProbeResult> {
  let meta: Metadata
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata()
  } catch (cause) {
    return { ok: false, reason: `not a PNG, JPEG, WebP or GIF image (${errorText(cause)})` }
  }
  if (!meta.format || !FORMATS.has(meta.format))
    return { ok: false, reason: `a ${meta.format ?? 'unknown'} image; PNG, JPEG, WebP and GIF are imported` }
  // Dimensions as displayed: orientations 5–8 swap width and height.
  const rotated = (meta.orientation ?? 1) >= 5
  const width = (rotated ? meta.height : meta.width) ?? 0
  const height = (rotated ? meta.width : meta.height) ?? 0
  const limit = imageLimitProblem({ width, height })
  if (limit) return { ok: false, reason: limit.replace(/^is /, '') }
  return {
    ok: true,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    width,
    height,
    gray: meta.channels === 1 || meta.channels === 2 || meta.space === 'b-w'
  }
}

export interface CoverOptions {
  /** Side of the square output. */
  size: number
  color: 'gray' | 'rgb'
}

/**
 * Decodes an encoded image into `size × size × channels` uint8 bytes (HWC) by the cover rule above.
 * Throws when the image cannot be decoded (truncated, corrupt, over {@link MAX_IMAGE_PIXELS}).
 */
export async function decodeCover(bytes: Uint8Array, { size, color }: CoverOptions): Promise<Buffer> {
  let image = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS })
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .resize(size, size, { fit: 'cover', position: 'centre' })
  image = color === 'gray' ? image.grayscale() : image.toColourspace('srgb')
  const { data, info } = await image.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true })
  const channels = color === 'gray' ? 1 : 3
  if (info.width !== size || info.height !== size || info.channels !== channels || data.length !== size * size * channels) {
    throw new Error(`decoded to ${info.width}×${info.height}×${info.channels} instead of ${size}×${size}×${channels}`)
  }
  return data
}

/** Probe and decode in one read (when the size and colour are known up front); the reason when the file cannot be used. */
export async function probeAndDecode(
  path: string,
  options: CoverOptions
): Promise<{ probe: ProbedImage; image: Buffer } | { reason: string }> {
  const read = await readImageFile(path)
  if ('reason' in read) return read
  const probe = await probeBytes(read.bytes)
  if (!probe.ok) return { reason: probe.reason }
  try {
    return { probe, image: await decodeCover(read.bytes, options) }
  } catch (cause) {
    return { reason: decodeFailure(cause) }
  }
}

/** The skip reason of a file that passed the probe but did not decode. */
export const decodeFailure = (cause: unknown): string => `cannot be decoded (${errorText(cause)})`
