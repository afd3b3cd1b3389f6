/**
 * The two passes over the files of a folder import: probing every file (header, limits, digest; no
 * pixels decoded) and decoding the kept ones straight into the cache file, a few at a time.
 */
import { imageBytes, type ImageShape, type SkippedFile } from '@shared/dataset'
import { DatasetError } from '../errors'
import { decodeCover, probeImage, readImageFile } from './decode'
import { forEachOrdered } from './ordered'
import type { ProgressMeter } from './progress'
import type { Candidate } from './split'
import type { ScannedFile } from './scan'
import type { CacheWriter } from './cache-writer'

/** Files read and decoded at once: enough to keep libuv's 4 threads busy, few enough to bound memory. */
export const IN_FLIGHT = 8

export interface PassContext {
  folder: string
  signal?: AbortSignal
  skipped: SkippedFile[]
  meter: ProgressMeter
  /** Images done before this call (for progress across several calls). */
  doneBefore: number
}

export const cancelled = (folder: string): DatasetError =>
  new DatasetError(folder, 'import cancelled; nothing was written', { code: 'cancelled' })

/** Probes `files`; returns those that can be imported, in order, and lists the others in `skipped`. */
export async function probeAll(files: ScannedFile[], ctx: PassContext): Promise<Candidate[]> {
  const kept: Candidate[] = []
  await forEachOrdered({
    items: files,
    concurrency: IN_FLIGHT,
    work: (f) => probeImage(f.path),
    take: (probe, f, i) => {
      if (probe.ok) kept.push({ ...f, probe })
      else ctx.skipped.push({ file: f.rel, reason: probe.reason })
      ctx.meter.tick(ctx.doneBefore + i + 1, { file: f.rel })
    },
    signal: ctx.signal,
    onAbort: () => cancelled(ctx.folder)
  })
  return kept
}

export interface DecodeTarget {
  writer: CacheWriter
  shape: ImageShape
}

/**
 * Decodes `files` by the cover rule and appends each image to the cache file, then their labels.
 * Returns the files that decoded (a file can pass the probe and still fail here: a cut-off PNG).
 */
export async function decodeAll(files: Candidate[], target: DecodeTarget, ctx: PassContext): Promise<Candidate[]> {
  const { shape, writer } = target
  const options = { size: shape.height, color: shape.channels === 1 ? ('gray' as const) : ('rgb' as const) }
  const decoded: Candidate[] = []
  await forEachOrdered({
    items: files,
    concurrency: IN_FLIGHT,
    work: async (f): Promise<Buffer | string> => {
      const read = await readImageFile(f.path)
      if ('reason' in read) return read.reason
      return decodeCover(read.bytes, options).catch((cause: Error) => `cannot be decoded (${cause.message.split('\n')[0]})`)
    },
    take: async (result, f, i) => {
      if (typeof result === 'string') ctx.skipped.push({ file: f.rel, reason: result })
      else {
        if (result.length !== imageBytes(shape)) throw new Error(`decoded ${result.length} bytes for ${f.rel}`)
        await writer.append(result)
        decoded.push(f)
      }
      ctx.meter.tick(ctx.doneBefore + i + 1, { file: f.rel })
    },
    signal: ctx.signal,
    onAbort: () => cancelled(ctx.folder)
  })
  await writer.append(Uint8Array.from(decoded, (f) => f.label))
  return decoded
}
