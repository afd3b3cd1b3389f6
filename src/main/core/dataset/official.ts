/** Is a located dataset file the official file of its family? Checked against the published checksums, remembered per file version. */
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import type { DatasetFile } from './files'
import type { LocatedFile } from './locate'

/** Answers by path, size and modification time, so a status check hashes each file version once. */
const known = new Map<string, boolean>()

const digest = (algorithm: 'md5' | 'sha256', bytes: Uint8Array): string => createHash(algorithm).update(bytes).digest('hex')

/**
 * True when the file holds the official content: a `.gz` by the published md5 (or, re-compressed,
 * by the sha256 of what it inflates to), a raw file by the sha256 of its bytes. When the family's
 * decompressed sha256 is not known (`rawSha256` null), a raw or re-compressed file cannot be judged
 * and counts as official (no false warning). Throws when it cannot be read.
 */
export function isOfficialFile(file: DatasetFile, found: LocatedFile): boolean {
  const gzipAsPublished = found.gzip && found.size === file.bytes
  if (file.rawSha256 === null && !gzipAsPublished) return true
  const { mtimeMs } = statSync(found.path)
  const key = `${found.path}\0${found.size}\0${mtimeMs}\0${file.md5}`
  const cached = known.get(key)
  if (cached !== undefined) return cached
  const bytes = readFileSync(found.path)
  let official: boolean
  if (!found.gzip) official = found.size === file.rawBytes && digest('sha256', bytes) === file.rawSha256
  else if (found.size === file.bytes && digest('md5', bytes) === file.md5) official = true
  else official = digest('sha256', gunzipSync(bytes)) === file.rawSha256
  known.set(key, official)
  return official
}
