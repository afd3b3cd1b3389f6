/**
 * CIFAR-10, binary version: the published archive, the six batch files inside it, and loading them
 * as HWC uint8 images. Each batch file is a run of records: 1 label byte, then 3,072 pixel bytes
 * (1,024 red, 1,024 green, 1,024 blue, each plane row-major 32×32).
 */
import type { DatasetStatus } from '@shared/api'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { DatasetError, formatCount } from './errors'
import type { DatasetPart } from './files'
import type { PublishedFile } from './download'

export const CIFAR_SIDE = 32
export const CIFAR_PLANE = CIFAR_SIDE * CIFAR_SIDE
export const CIFAR_IMAGE_BYTES = CIFAR_PLANE * 3
/** One record: the label byte and the image. */
export const CIFAR_RECORD_BYTES = 1 + CIFAR_IMAGE_BYTES
export const CIFAR_CLASSES = 10

/** One batch file. */
export interface CifarBatch {
  name: string
  part: DatasetPart
  /** Records in the file. */
  count: number
}

/** What is published of CIFAR-10 (binary version), and where. */
export interface Cifar10Spec {
  title: string
  /** The archive as published (name, size, md5 from the authors' page). */
  archive: PublishedFile
  /** Folder the archive holds the batches in. */
  folder: string
  /** The batch files in their fixed order: data_batch_1..5 (train), test_batch (test). */
  batches: readonly CifarBatch[]
  /** Class names file beside the batches; copied when present, never required. */
  meta: string
  /** Base URLs tried in order. */
  urls: readonly string[]
  urlEnv: string
}

/** The official figures: md5 as published on https://www.cs.toronto.edu/~kriz/cifar.html, size as the host sends it. */
export const CIFAR10: Cifar10Spec = {
  title: 'CIFAR-10',
  archive: { name: 'cifar-10-binary.tar.gz', bytes: 170_052_171, md5: 'c32a1d4ab5d03f1284b67883e8d87530' },
  folder: 'cifar-10-batches-bin',
  batches: [
    ...[1, 2, 3, 4, 5].map((i) => ({ name: `data_batch_${i}.bin`, part: 'train' as const, count: 10_000 })),
    { name: 'test_batch.bin', part: 'test', count: 10_000 }
  ],
  meta: 'batches.meta.txt',
  urls: ['https://www.cs.toronto.edu/~kriz/'],
  urlEnv: 'ATELIER_CIFAR10_URL'
}

/** What loader errors advise. */
export const CIFAR_FIX = 'download the dataset again or import it from a folder'

/** Expected size of a batch file. */
export const batchBytes = (batch: CifarBatch): number => batch.count * CIFAR_RECORD_BYTES

/** Why a batch file of `size` bytes cannot be the batch, or null. */
export function sizeProblem(batch: CifarBatch, size: number): string | null {
  const expected = batchBytes(batch)
  if (size === expected) return null
  const records = `${formatCount(batch.count)} records of ${formatCount(CIFAR_RECORD_BYTES)} bytes`
  if (size % CIFAR_RECORD_BYTES !== 0) {
    return `truncated — holds ${formatCount(size)} bytes, not a whole number of ${formatCount(CIFAR_RECORD_BYTES)}-byte records (expected ${formatCount(expected)}: ${records})`
  }
  return `holds ${formatCount(size / CIFAR_RECORD_BYTES)} records (${formatCount(size)} bytes), expected ${records}`
}

/** Checks a batch file's size and labels; throws a {@link DatasetError} naming it, ending with `fix`. */
export function checkBatch(bytes: Uint8Array, batch: CifarBatch, fix: string): void {
  const problem = sizeProblem(batch, bytes.length)
  if (problem) throw new DatasetError(batch.name, `${problem} — ${fix}`, { code: 'corrupt' })
  for (let r = 0; r < batch.count; r++) {
    const label = bytes[r * CIFAR_RECORD_BYTES]
    if (label >= CIFAR_CLASSES) {
      throw new DatasetError(batch.name, `label ${label} of record ${r} is not a class id 0–${CIFAR_CLASSES - 1} — ${fix}`, {
        code: 'corrupt'
      })
    }
  }
}

/** Decodes records into `images` (HWC) and `labels` from position `at` (in images). */
function decodeInto(bytes: Uint8Array, count: number, out: { images: Uint8Array; labels: Uint8Array; at: number }): void {
  for (let r = 0; r < count; r++) {
    const src = r * CIFAR_RECORD_BYTES
    const index = out.at + r
    out.labels[index] = bytes[src]
    const dst = index * CIFAR_IMAGE_BYTES
    const red = src + 1
    for (let p = 0; p < CIFAR_PLANE; p++) {
      const o = dst + p * 3
      out.images[o] = bytes[red + p]
      out.images[o + 1] = bytes[red + CIFAR_PLANE + p]
      out.images[o + 2] = bytes[red + 2 * CIFAR_PLANE + p]
    }
  }
}

/** One split of CIFAR-10, decoded. */
export interface CifarSplit {
  /** `count × 3072` bytes, HWC (32×32×3, RGB), 0–255. */
  images: Uint8Array
  /** `count` class ids 0–9. */
  labels: Uint8Array
  count: number
}

export interface Cifar10Loaded {
  train?: CifarSplit
  test?: CifarSplit
  /** See {@link cifarChecksum}. */
  checksum: string
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/**
 * Hex SHA-256 of the lines `cifar10 <part> images <count>x32x32x3 <sha256 of the HWC image bytes>\n`
 * and `cifar10 <part> labels <count> <sha256 of the label bytes>\n` for each loaded part in the order
 * train, test. Train is data_batch_1..5 in that order, however the files were stored or extracted.
 */
export function cifarChecksum(splits: Partial<Record<DatasetPart, CifarSplit>>): string {
  const digest = createHash('sha256')
  for (const part of ['train', 'test'] as const) {
    const split = splits[part]
    if (!split) continue
    digest.update(`cifar10 ${part} images ${split.count}x32x32x3 ${sha256(split.images)}\n`)
    digest.update(`cifar10 ${part} labels ${split.count} ${sha256(split.labels)}\n`)
  }
  return digest.digest('hex')
}

/** Decodes checked batch files of one part, in the spec's order, into one split. */
export function decodeSplit(batches: readonly { batch: CifarBatch; bytes: Uint8Array }[]): CifarSplit {
  const count = batches.reduce((n, b) => n + b.batch.count, 0)
  const out = { images: new Uint8Array(count * CIFAR_IMAGE_BYTES), labels: new Uint8Array(count), at: 0 }
  for (const { batch, bytes } of batches) {
    decodeInto(bytes, batch.count, out)
    out.at += batch.count
  }
  return { images: out.images, labels: out.labels, count }
}

export interface Cifar10LoadOptions {
  parts?: DatasetPart[]
  /** Made-up figures for tests; the official ones by default. */
  spec?: Cifar10Spec
}

/** Loads and checks the batch files of the parts asked for from `dir`. Throws {@link DatasetError}. */
export async function loadCifar10(dir: string, options: Cifar10LoadOptions = {}): Promise<Cifar10Loaded> {
  const parts = options.parts ?? ['train', 'test']
  const spec = options.spec ?? CIFAR10
  const result: Cifar10Loaded = { checksum: '' }
  for (const part of parts) {
    const batches = spec.batches.filter((b) => b.part === part)
    // Read together, but a failure names the first bad batch in file order, whichever finished first.
    const settled = await Promise.allSettled(
      batches.map(async (batch) => {
        let bytes: Uint8Array
        try {
          bytes = await readFile(join(dir, batch.name))
        } catch (cause) {
          const missing = (cause as { code?: string }).code === 'ENOENT'
          throw new DatasetError(
            batch.name,
            missing
              ? `not found in ${dir} — ${CIFAR_FIX}`
              : `cannot be read (${(cause as Error).message}) — check the folder's permissions`,
            { code: missing ? 'missing' : 'io', cause }
          )
        }
        checkBatch(bytes, batch, CIFAR_FIX)
        return { batch, bytes }
      })
    )
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
    if (failed) throw failed.reason
    result[part] = decodeSplit(settled.map((s) => (s as PromiseFulfilledResult<{ batch: CifarBatch; bytes: Uint8Array }>).value))
  }
  result.checksum = cifarChecksum(result)
  return result
}

/** Presence and size of the six batch files in `dir` (no full read). */
export function cifar10Status(dir: string, spec: Cifar10Spec = CIFAR10): DatasetStatus {
  let isDir = false
  try {
    isDir = statSync(dir).isDirectory()
  } catch {
    isDir = false
  }
  const files: DatasetStatus['files'] = []
  const missing: string[] = []
  const broken: string[] = []
  for (const batch of spec.batches) {
    let size: number | null = null
    try {
      const s = isDir ? statSync(join(dir, batch.name)) : null
      size = s?.isFile() ? s.size : null
    } catch {
      size = null
    }
    files.push({ name: batch.name, present: size !== null })
    if (size === null) missing.push(batch.name)
    else {
      const problem = sizeProblem(batch, size)
      if (problem) broken.push(`${batch.name} ${problem.replace(/^truncated — /, 'is truncated: ')}`)
    }
  }
  const how = `download the dataset or import ${spec.archive.name} (or its ${spec.folder} folder) from a folder`
  let problem: string | null = null
  if (!isDir) problem = `The folder ${dir} does not exist yet — ${how}.`
  else if (missing.length > 0) problem = `Missing in ${dir}: ${missing.join(', ')} — ${how}.`
  else if (broken.length > 0) problem = `${broken.join('; ')} — ${CIFAR_FIX}.`
  return { ready: problem === null, dir, files, problem, warning: null }
}
