/**
 * Reads a cache file (format in cache-format.ts). Each split is read into its own uint8 arrays in
 * chunks (no float32 copy, no whole-file buffer, no 2 GiB read limit) and hashed on the way; a file
 * whose size, header or digest does not match is refused with a {@link DatasetError}.
 */
import { createHash, type Hash } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'
import { MAX_CLASSES, imageBytes } from '@shared/dataset'
import type { DatasetPart } from '../files'
import { DatasetError } from '../errors'
import { CACHE_FORMAT, CACHE_PREAMBLE_BYTES, CACHE_VERSION, dataBytes, decodePreamble, type CacheHeader } from './cache-format'

/** Largest single read (fs reads are limited to 2 GiB). */
const READ_CHUNK = 256 * 1024 * 1024
const REIMPORT = 'import the folder again to rebuild it'

export interface CacheSplit {
  images: Uint8Array
  labels: Uint8Array
  count: number
}

export interface CacheContent {
  header: CacheHeader
  train?: CacheSplit
  test?: CacheSplit
  /** Hex SHA-256 of the splits read, in file order: the header's content hash when both were read (checked). */
  checksum: string
}

const corrupt = (file: string, problem: string): DatasetError => new DatasetError(file, `${problem}; ${REIMPORT}`, { code: 'corrupt' })

async function readInto(fd: FileHandle, target: Uint8Array, position: number, hash: Hash, file: string): Promise<void> {
  for (let done = 0; done < target.length;) {
    const length = Math.min(READ_CHUNK, target.length - done)
    const { bytesRead } = await fd.read(target, done, length, position + done)
    if (bytesRead === 0) throw corrupt(file, 'ends early (the file is cut off)')
    done += bytesRead
  }
  hash.update(target)
}

function checkHeader(file: string, h: CacheHeader): void {
  const s = h?.shape
  const ok =
    h?.format === CACHE_FORMAT &&
    s !== undefined &&
    [s.height, s.width].every((n) => Number.isInteger(n) && n > 0) &&
    (s.channels === 1 || s.channels === 3) &&
    Array.isArray(h.classNames) &&
    h.classNames.length >= 2 &&
    h.classNames.length <= MAX_CLASSES &&
    Number.isInteger(h.trainCount) &&
    Number.isInteger(h.testCount) &&
    h.trainCount >= 0 &&
    h.testCount >= 0 &&
    typeof h.contentHash === 'string'
  if (!ok) throw corrupt(file, 'has a damaged header')
  if (h.version !== CACHE_VERSION) {
    throw new DatasetError(
      file,
      `is a dataset cache of version ${String(h.version)}, this Atelier reads version ${CACHE_VERSION}; ${REIMPORT}`,
      {
        code: 'corrupt'
      }
    )
  }
}

/** The header of a cache file, after checking it against the file's size (nothing else is read). */
export async function readCacheHeader(file: string): Promise<CacheHeader> {
  const fd = await openCache(file)
  try {
    return await headerOf(fd, file)
  } finally {
    await fd.close()
  }
}

async function openCache(file: string): Promise<FileHandle> {
  return open(file, 'r').catch((cause: NodeJS.ErrnoException) => {
    throw new DatasetError(file, `cannot be read (${cause.code ?? cause.message}); ${REIMPORT}`, {
      code: cause.code === 'ENOENT' ? 'missing' : 'io',
      cause
    })
  })
}

async function headerOf(fd: FileHandle, file: string): Promise<CacheHeader> {
  const size = (await fd.stat()).size
  const preambleBytes = Buffer.alloc(CACHE_PREAMBLE_BYTES)
  await fd.read(preambleBytes, 0, CACHE_PREAMBLE_BYTES, 0)
  const preamble = decodePreamble(preambleBytes)
  if (!preamble) throw corrupt(file, 'is not an Atelier dataset cache (no ATDS1 mark)')
  const { headerOffset, headerLength } = preamble
  if (headerOffset < CACHE_PREAMBLE_BYTES || headerOffset + headerLength !== size) {
    throw corrupt(
      file,
      `is ${size.toLocaleString('en-US')} bytes where its preamble expects ${(headerOffset + headerLength).toLocaleString('en-US')} (cut off or damaged)`
    )
  }
  const json = Buffer.alloc(headerLength)
  await fd.read(json, 0, headerLength, headerOffset)
  let header: CacheHeader
  try {
    header = JSON.parse(json.toString('utf8')) as CacheHeader
  } catch {
    throw corrupt(file, 'has a damaged header')
  }
  checkHeader(file, header)
  if (CACHE_PREAMBLE_BYTES + dataBytes(header) !== headerOffset) {
    throw corrupt(
      file,
      `holds ${(headerOffset - CACHE_PREAMBLE_BYTES).toLocaleString('en-US')} data bytes where its header's counts need ${dataBytes(header).toLocaleString('en-US')}`
    )
  }
  return header
}

/** Reads the splits asked for (both by default). */
export async function readCacheFile(file: string, parts: DatasetPart[] = ['train', 'test']): Promise<CacheContent> {
  const fd = await openCache(file)
  try {
    const header = await headerOf(fd, file)
    const image = imageBytes(header.shape)
    const hash = createHash('sha256')
    const content: CacheContent = { header, checksum: '' }
    let position = CACHE_PREAMBLE_BYTES
    for (const part of ['train', 'test'] as const) {
      const count = part === 'train' ? header.trainCount : header.testCount
      if (parts.includes(part)) {
        const images = new Uint8Array(count * image)
        const labels = new Uint8Array(count)
        await readInto(fd, images, position, hash, file)
        await readInto(fd, labels, position + images.length, hash, file)
        for (const label of labels) {
          if (label >= header.classNames.length)
            throw corrupt(file, `has a ${part} label ${label} but only ${header.classNames.length} classes`)
        }
        content[part] = { images, labels, count }
      }
      position += count * (image + 1)
    }
    content.checksum = hash.digest('hex')
    if (parts.includes('train') && parts.includes('test') && content.checksum !== header.contentHash) {
      throw corrupt(file, 'does not match its own checksum (damaged on disk)')
    }
    return content
  } finally {
    await fd.close()
  }
}
