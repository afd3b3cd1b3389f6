/**
 * The cache file a folder import writes (`ATDS1`): uint8 images and labels plus a JSON header.
 *
 * Layout (all integers little-endian):
 *
 * | offset        | bytes            | content                                                        |
 * | ------------- | ---------------- | -------------------------------------------------------------- |
 * | 0             | 8                | magic `ATDS1\0\0\0`                                            |
 * | 8             | 8                | uint64 header offset (= 32 + data bytes)                       |
 * | 16            | 4                | uint32 header length in bytes                                  |
 * | 20            | 12               | zero (reserved)                                                |
 * | 32            | train × image    | train images, `height × width × channels` bytes each (HWC)     |
 * |               | train            | train labels, one byte each (class index)                      |
 * |               | test × image     | test images                                                    |
 * |               | test             | test labels                                                    |
 * | header offset | header length    | UTF-8 JSON {@link CacheHeader}                                 |
 *
 * The header comes last so the images can be streamed to disk as they are decoded; the fixed preamble
 * says where it is. The content hash is the SHA-256 of the data region (bytes 32 to the header offset:
 * train images, train labels, test images, test labels), so it identifies the decoded tensors.
 * Within each split images are in class order, then by file path.
 */
import type { ImageShape, ImportReport, Preprocessing } from '@shared/dataset'

export const CACHE_MAGIC = 'ATDS1\0\0\0'
export const CACHE_PREAMBLE_BYTES = 32
export const CACHE_FORMAT = 'atelier-dataset'
export const CACHE_VERSION = 1

/** The JSON header at the end of a cache file. */
export interface CacheHeader {
  format: typeof CACHE_FORMAT
  version: typeof CACHE_VERSION
  /** Dataset name at import time (informative; the store's row is what counts). */
  name: string
  shape: ImageShape
  classNames: string[]
  trainCount: number
  testCount: number
  /** Hex SHA-256 of the data region. */
  contentHash: string
  preprocessing: Preprocessing
  report: ImportReport
  /** ISO time the import finished. */
  createdAt: string
}

/** Bytes of the data region for `header`'s counts and shape. */
export function dataBytes(header: Pick<CacheHeader, 'shape' | 'trainCount' | 'testCount'>): number {
  const image = header.shape.height * header.shape.width * header.shape.channels
  return (header.trainCount + header.testCount) * (image + 1)
}

/** The 32-byte preamble pointing at the header. */
export function encodePreamble(headerOffset: number, headerLength: number): Buffer {
  const out = Buffer.alloc(CACHE_PREAMBLE_BYTES)
  out.write(CACHE_MAGIC, 0, 'latin1')
  out.writeBigUInt64LE(BigInt(headerOffset), 8)
  out.writeUInt32LE(headerLength, 16)
  return out
}

/** Header offset and length from a preamble; null when the magic is not there. */
export function decodePreamble(bytes: Buffer): { headerOffset: number; headerLength: number } | null {
  if (bytes.length < CACHE_PREAMBLE_BYTES || bytes.toString('latin1', 0, 8) !== CACHE_MAGIC) return null
  return { headerOffset: Number(bytes.readBigUInt64LE(8)), headerLength: bytes.readUInt32LE(16) }
}
