/**
 * Imports a folder of images (one subfolder per class, optionally under `train/` and `test/`) into one
 * compact cache file of uint8 images; the signature is the contract the dataset service is written against.
 */
import { MAX_IMPORT_SIDE, MIN_IMPORT_SIDE, imageBytes, type DatasetProgress, type ImageShape, type Preprocessing } from '@shared/dataset'
import { DatasetError } from '../errors'
import { CacheWriter } from './cache-writer'
import type { CacheHeader } from './cache-format'
import { cancelled, copySplit, decodeAll, probeAll, probeDecodeAll, type Decoded, type PassContext } from './passes'
import { StagingFile } from './staging'
import { progressMeter } from './progress'
import { buildReport } from './report'
import { scanFolder } from './scan'
import { Deduper, checkSplitCounts, drawTestSplit, dropDuplicates, perClass, type Candidate } from './split'

export { readCacheFile, readCacheHeader, type CacheContent, type CacheSplit } from './cache-reader'
export { readCacheSamples } from './cache-samples'
export type { CacheHeader } from './cache-format'
export { decodeCover, type CoverOptions } from './decode'

export interface FolderImportRequest {
  /** The folder to read. */
  folder: string
  /** Dataset name (for messages and progress events). */
  name: string
  /** Square side in pixels; default the smaller of the median side and 64. */
  size?: number
  color?: 'gray' | 'rgb'
  /** Fraction of each class held out for testing when the folder has no `test/`; default 0.2. */
  testSplit?: number
  seed?: number
  /** Cache file to write (atomically: a temporary file beside it, renamed into place at the very end); its folder must exist. */
  outFile: string
  onProgress?: (progress: DatasetProgress) => void
  signal?: AbortSignal
}

/** What an import made: the cache file's header without its bookkeeping. */
export type FolderImportResult = Omit<CacheHeader, 'format' | 'version' | 'name' | 'createdAt'>

/** Defaults of a folder import. */
export const FOLDER_DEFAULTS = { testSplit: 0.2, seed: 42, maxSize: 64 } as const

/** Default side: the median of the images' shorter sides, at most 64 and at least {@link MIN_IMPORT_SIDE}. */
export function defaultSize(files: Candidate[]): number {
  const sides = files.map((f) => Math.min(f.probe.width, f.probe.height)).sort((a, b) => a - b)
  const mid = sides.length >> 1
  const median = sides.length % 2 === 1 ? sides[mid] : Math.floor((sides[mid - 1] + sides[mid]) / 2)
  return Math.max(MIN_IMPORT_SIDE, Math.min(FOLDER_DEFAULTS.maxSize, median))
}

function checkRequest(request: FolderImportRequest): void {
  const { size, testSplit, seed, folder } = request
  if (size !== undefined && !(Number.isInteger(size) && size >= MIN_IMPORT_SIDE && size <= MAX_IMPORT_SIDE)) {
    throw new DatasetError(folder, `size ${size} is not a whole number from ${MIN_IMPORT_SIDE} to ${MAX_IMPORT_SIDE}`, { code: 'invalid' })
  }
  if (testSplit !== undefined && !(testSplit > 0 && testSplit < 1)) {
    throw new DatasetError(folder, `test split ${testSplit} is not between 0 and 1 (e.g. 0.2 holds out a fifth)`, { code: 'invalid' })
  }
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0)) {
    throw new DatasetError(folder, `seed ${seed} is not a whole number of 0 or more`, { code: 'invalid' })
  }
}

const noImage = (folder: string, scanned: number): DatasetError =>
  new DatasetError(
    folder,
    `has no image to import: ${scanned === 0 ? 'its class folders hold no files' : `none of its ${scanned} files is a readable PNG, JPEG, WebP or GIF image`} (nothing was imported)`,
    { code: 'invalid' }
  )

/** The decoded files of each split (in staging-file order) and the duplicates dropped. */
interface Decoding {
  train: Decoded[]
  test: Decoded[] | null
  duplicates: number
}

/**
 * Imports `folder`; throws a {@link DatasetError} (nothing written) when it cannot make a usable dataset.
 *
 * Colour: `request.color`, else gray when every imported file stores a single gray channel, else rgb.
 * Size: `request.size`, else {@link defaultSize}. Files that cannot be used are listed in the report.
 * When both are given each file is read once (probe and decode together); otherwise every file is
 * probed first (headers only) to choose them, then decoded.
 */
export async function importFolder(request: FolderImportRequest): Promise<FolderImportResult> {
  const startedAt = Date.now()
  const { folder, name, signal, onProgress } = request
  checkRequest(request)
  const testSplit = request.testSplit ?? FOLDER_DEFAULTS.testSplit
  const seed = request.seed ?? FOLDER_DEFAULTS.seed
  const scan = await scanFolder(folder)
  if (signal?.aborted) throw cancelled(folder)
  const skipped = [...scan.skipped]
  const scanned = scan.train.length + (scan.test?.length ?? 0)
  const classCount = scan.classNames.length
  const ownTest = scan.test !== null
  const splitCheck = { folder, classNames: scan.classNames, testSplit: ownTest ? null : testSplit }
  const ctx = (meter: PassContext['meter'], doneBefore: number): PassContext => ({ folder, signal, skipped, meter, doneBefore })

  // Without a given size and colour, every file's header is read first to choose them.
  let probed: { train: Candidate[]; test: Candidate[] | null; duplicates: number } | null = null
  if (request.size === undefined || request.color === undefined) {
    const probeMeter = progressMeter({ dataset: name, phase: 'verifying', total: scanned, onProgress })
    const train = dropDuplicates(await probeAll(scan.train, ctx(probeMeter, 0)), scan.classNames)
    const test = scan.test ? dropDuplicates(await probeAll(scan.test, ctx(probeMeter, scan.train.length)), scan.classNames) : null
    probeMeter.tick(scanned, { force: true })
    skipped.push(...train.skipped, ...(test?.skipped ?? []))
    probed = { train: train.kept, test: test?.kept ?? null, duplicates: train.duplicates + (test?.duplicates ?? 0) }
    const lists = probed.test ? { train: probed.train, test: probed.test } : drawTestSplit(probed.train, testSplit, seed)
    if (lists.train.length + lists.test.length === 0) throw noImage(folder, scanned)
    checkSplitCounts({ ...splitCheck, trainPerClass: perClass(lists.train, classCount), testPerClass: perClass(lists.test, classCount) })
  }
  const all = probed ? [...probed.train, ...(probed.test ?? [])] : []
  const size = request.size ?? defaultSize(all)
  const color = request.color ?? (all.every((f) => f.probe.gray) ? 'gray' : 'rgb')
  const shape: ImageShape = { height: size, width: size, channels: color === 'gray' ? 1 : 3 }
  const preprocessing: Preprocessing = { fit: 'cover', height: size, width: size, color, scale: 1 / 255 }
  const cover = { size, color }

  const staging = await StagingFile.create(request.outFile, imageBytes(shape))
  let writer: CacheWriter | null = null
  try {
    let decoding: Decoding
    if (probed) {
      const meter = progressMeter({ dataset: name, phase: 'decoding', total: all.length, onProgress })
      const train = await decodeAll(probed.train, staging, cover, ctx(meter, 0))
      const test = probed.test ? await decodeAll(probed.test, staging, cover, ctx(meter, probed.train.length)) : null
      meter.tick(all.length, { force: true })
      decoding = { train, test, duplicates: probed.duplicates }
    } else {
      const meter = progressMeter({ dataset: name, phase: 'decoding', total: scanned, onProgress })
      const [trainDedup, testDedup] = [new Deduper(scan.classNames), new Deduper(scan.classNames)]
      const train = await probeDecodeAll(scan.train, staging, cover, trainDedup, ctx(meter, 0))
      const test = scan.test ? await probeDecodeAll(scan.test, staging, cover, testDedup, ctx(meter, scan.train.length)) : null
      meter.tick(scanned, { force: true })
      skipped.push(...trainDedup.skipped, ...testDedup.skipped)
      decoding = { train, test, duplicates: trainDedup.duplicates + testDedup.duplicates }
    }
    if (staging.count === 0) throw noImage(folder, scanned)
    const split = decoding.test ? { train: decoding.train, test: decoding.test } : drawTestSplit(decoding.train, testSplit, seed)
    const trainPerClass = perClass(split.train, classCount)
    const testPerClass = perClass(split.test, classCount)
    checkSplitCounts({ ...splitCheck, trainPerClass, testPerClass })

    writer = await CacheWriter.create(request.outFile)
    const total = split.train.length + split.test.length
    const writeMeter = progressMeter({ dataset: name, phase: 'writing', total, onProgress })
    await copySplit(split.train, staging, writer, ctx(writeMeter, 0))
    await copySplit(split.test, staging, writer, ctx(writeMeter, split.train.length))
    writeMeter.tick(total, { force: true })
    if (signal?.aborted) throw cancelled(folder)
    const report = buildReport({
      from: folder,
      scanned,
      skipped,
      duplicates: decoding.duplicates,
      trainPerClass,
      testPerClass,
      ownTestSplit: ownTest,
      testSplit,
      seed,
      startedAt
    })
    const result: FolderImportResult = {
      shape,
      classNames: scan.classNames,
      trainCount: split.train.length,
      testCount: split.test.length,
      contentHash: writer.contentHash(),
      preprocessing,
      report
    }
    await writer.finish({ ...result, name, createdAt: new Date().toISOString() })
    return result
  } catch (cause) {
    await writer?.abort()
    throw cause
  } finally {
    await staging.remove()
  }
}
