/** Parses the IDX files the MNIST family ships in: a big-endian header, then unsigned bytes. */
import { errorMessage } from '@shared/error-text'
import { gunzipSync } from 'node:zlib'
import { DatasetError, formatCount } from './errors'
import type { ImageShape } from '@shared/dataset'
import { IMAGES_MAGIC, LABELS_MAGIC } from './files'

/** What the caller expects the file to be. */
export interface IdxExpectation {
  /** 2051 for unsigned-byte images, 2049 for unsigned-byte labels. */
  magic: 2051 | 2049
  /** The images' shape (the dataset record's); each image's rows and columns are checked against it when given. */
  shape?: ImageShape | null
  /** Number of items the header must declare; unchecked when absent. */
  count?: number
  /** The dataset's name in messages; Fashion-MNIST when absent. */
  title?: string
}

/** A parsed IDX file. */
export interface IdxFile {
  /** Dimensions from the header, e.g. `[60000, 28, 28]` or `[60000]`. */
  dims: number[]
  /** The items, row-major; a view into the (decompressed) input, not a copy. */
  data: Uint8Array
}

/** What parse errors advise; other callers (import) swap it for their own advice. */
export const IDX_FIX = 'download it again or import it from a folder'

/** True when the bytes start with the gzip magic (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

/** Decompresses gzip bytes, reporting a damaged stream as a {@link DatasetError} naming the file. */
export function gunzipFile(bytes: Uint8Array, fileName: string): Uint8Array {
  try {
    return gunzipSync(bytes)
  } catch (cause) {
    throw corruptGzip(fileName, cause)
  }
}

/** The error for a gzip stream zlib could not decompress. */
export function corruptGzip(fileName: string, cause: unknown): DatasetError {
  const reason = errorMessage(cause)
  return new DatasetError(fileName, `not a readable gzip file (${reason}) — ${IDX_FIX}`, { code: 'corrupt', cause })
}

function describe(magic: number, title: string): string {
  if (magic === IMAGES_MAGIC) return 'an images file'
  if (magic === LABELS_MAGIC) return 'a labels file'
  return `not a ${title} IDX file`
}

/**
 * Validates and parses one IDX file (gzipped or raw): magic, dimensions (an image's as `shape` says),
 * the expected count and the exact length. Throws {@link DatasetError} naming `fileName`.
 */
export function parseIdx(bytes: Uint8Array, fileName: string, expect: IdxExpectation): IdxFile {
  const raw = isGzip(bytes) ? gunzipFile(bytes, fileName) : bytes
  const fail = (problem: string): never => {
    throw new DatasetError(fileName, `${problem} — ${IDX_FIX}`, { code: 'corrupt' })
  }
  const title = expect.title ?? 'Fashion-MNIST'
  const images = expect.magic === IMAGES_MAGIC
  const rank = images ? 3 : 1
  const headerBytes = 4 + 4 * rank
  const noun = images ? 'images' : 'labels'
  const tooShort = (): never =>
    fail(`truncated — ${formatCount(raw.length)} bytes is shorter than the ${headerBytes}-byte IDX header of ${noun}`)
  if (raw.length < 4) tooShort()
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  const magic = view.getUint32(0, false)
  if (magic !== expect.magic) {
    fail(`wrong magic number ${magic} (expected ${expect.magic} for ${noun}; this looks like ${describe(magic, title)})`)
  }
  if (raw.length < headerBytes) tooShort()
  const dims: number[] = []
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false))
  const shape = images ? expect.shape : null
  if (shape && (dims[1] !== shape.height || dims[2] !== shape.width)) {
    fail(`wrong image size ${dims[1]}×${dims[2]} (expected ${shape.height}×${shape.width})`)
  }
  const count = dims[0]
  if (expect.count !== undefined && count !== expect.count) {
    fail(`header says ${count} ${noun} but ${title} has ${expect.count} in this file`)
  }
  const dataBytes = dims.reduce((a, b) => a * b, 1)
  const total = headerBytes + dataBytes
  if (raw.length < total) {
    fail(`truncated — header says ${count} ${noun} (${formatCount(total)} bytes) but the file holds ${formatCount(raw.length)} bytes`)
  }
  if (raw.length > total) {
    fail(`too long — header says ${count} ${noun} (${formatCount(total)} bytes) but the file holds ${formatCount(raw.length)} bytes`)
  }
  return { dims, data: new Uint8Array(raw.buffer, raw.byteOffset + headerBytes, dataBytes) }
}

/** Throws a {@link DatasetError} naming the file when a label is not a class id below `classCount` (0–9 by default). */
export function checkLabels(labels: Uint8Array, fileName: string, classCount = 10): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classCount) {
      throw new DatasetError(fileName, `label ${labels[i]} at index ${i} is not a class id 0–${classCount - 1} — ${IDX_FIX}`, {
        code: 'corrupt'
      })
    }
  }
}

/** Throws a {@link DatasetError} naming the labels file when it does not hold one label per image. */
export function checkPair(pair: { images: number; labels: number; imagesName: string; labelsName: string }): void {
  if (pair.images === pair.labels) return
  throw new DatasetError(
    pair.labelsName,
    `holds ${formatCount(pair.labels)} labels but ${pair.imagesName} holds ${formatCount(pair.images)} images (one label per image is needed) — ${IDX_FIX}`,
    { code: 'corrupt' }
  )
}
