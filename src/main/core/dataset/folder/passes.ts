/**
 * The passes of a folder import: probing every file (header, limits, digest; no pixels decoded),
 * decoding the kept ones into the staging file a few at a time, and copying each split into the cache file.
 */
import type { SkippedFile } from '@shared/dataset'
import { DatasetError } from '../errors'
import { decodeCover, decodeFailure, probeAndDecode, probeImage, readImageFile, type CoverOptions } from './decode'
import { forEachOrdered } from './ordered'
import type { ProgressMeter } from './progress'
import type { Candidate, Deduper } from './split'
import type { ScannedFile } from './scan'
import type { CacheWriter } from './cache-writer'
import type { StagingFile } from './staging'

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

/** A file that decoded, and where its image is in the staging file. */
export interface Decoded extends Candidate {
  slot: number
}

/**
 * Decodes `files` by the cover rule and appends each image to the staging file, in order. Returns the
 * files that decoded (a file can pass the probe and still fail here: a cut-off PNG is listed as skipped).
 */
export async function decodeAll(files: Candidate[], staging: StagingFile, options: CoverOptions, ctx: PassContext): Promise<Decoded[]> {
  const decoded: Decoded[] = []
  await forEachOrdered({
    items: files,
    concurrency: IN_FLIGHT,
    work: async (f): Promise<Buffer | string> => {
      const read = await readImageFile(f.path)
      if ('reason' in read) return read.reason
      return decodeCover(read.bytes, options).catch(decodeFailure)
    },
    take: async (result, f, i) => {
      if (typeof result === 'string') ctx.skipped.push({ file: f.rel, reason: result })
      else {
        decoded.push({ ...f, slot: staging.count })
        await staging.append(result)
      }
      ctx.meter.tick(ctx.doneBefore + i + 1, { file: f.rel })
    },
    signal: ctx.signal,
    onAbort: () => cancelled(ctx.folder)
  })
  return decoded
}

/**
 * Probes, drops duplicates and decodes in one read of each file, appending images to the staging file
 * in order: the same outcome as {@link probeAll} + `dropDuplicates` + {@link decodeAll}, used when the
 * size and colour are given (nothing has to be known of all files before decoding).
 */
export async function probeDecodeAll(
  files: ScannedFile[],
  staging: StagingFile,
  options: CoverOptions,
  deduper: Deduper,
  ctx: PassContext
): Promise<Decoded[]> {
  const decoded: Decoded[] = []
  await forEachOrdered({
    items: files,
    concurrency: IN_FLIGHT,
    work: (f) => probeAndDecode(f.path, options),
    take: async (result, f, i) => {
      if ('reason' in result) ctx.skipped.push({ file: f.rel, reason: result.reason })
      else if (deduper.keep(f, result.probe.sha256)) {
        decoded.push({ ...f, probe: result.probe, slot: staging.count })
        await staging.append(result.image)
      }
      ctx.meter.tick(ctx.doneBefore + i + 1, { file: f.rel })
    },
    signal: ctx.signal,
    onAbort: () => cancelled(ctx.folder)
  })
  return decoded
}

/** Copies the images of `files` (in slot order) from the staging file into the cache file, then their labels. */
export async function copySplit(files: Decoded[], staging: StagingFile, writer: CacheWriter, ctx: PassContext): Promise<void> {
  const member = new Uint8Array(staging.count)
  for (const f of files) member[f.slot] = 1
  let done = 0
  await staging.forEach(
    (slot) => member[slot] === 1,
    async (image) => {
      if (ctx.signal?.aborted) throw cancelled(ctx.folder)
      await writer.append(image)
      ctx.meter.tick(ctx.doneBefore + ++done)
    }
  )
  await writer.append(Uint8Array.from(files, (f) => f.label))
}
