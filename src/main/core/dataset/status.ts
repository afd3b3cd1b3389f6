/** A quick look at a data folder: are the four files there and plausibly whole? No full parse. */
import { errorMessage } from '@shared/error-text'
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import type { DatasetFileStatus, DatasetStatus } from '@shared/api'
import { formatCount } from './errors'
import { IDX_FAMILIES, type DatasetFile, type IdxFamilySpec } from './files'
import { locateFile, type LocatedFile } from './locate'
import { isOfficialFile } from './official'

const FIX = 'download the dataset again or import the four files from a folder'

function readAt(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(length)
    readSync(fd, buffer, 0, length, position)
    return buffer
  } finally {
    closeSync(fd)
  }
}

/** Why a located file is unusable, from its size, its first bytes and (for gzip) the size trailer; null when fine. */
function quickProblem(file: DatasetFile, found: LocatedFile, title: string): string | null {
  if (found.gzip) {
    if (found.size < 18) return `${found.name} is only ${formatCount(found.size)} bytes`
    const head = readAt(found.path, 0, 2)
    if (head[0] !== 0x1f || head[1] !== 0x8b) return `${found.name} is not a gzip file`
    // The gzip trailer stores the decompressed size; a cut-off file ends in arbitrary bytes instead.
    const isize = readAt(found.path, found.size - 4, 4).readUInt32LE(0)
    if (isize !== file.rawBytes) return `${found.name} is truncated or not the ${title} file`
    return null
  }
  if (found.size !== file.rawBytes) {
    return `${found.name} holds ${formatCount(found.size)} bytes, expected ${formatCount(file.rawBytes)}`
  }
  if (readAt(found.path, 0, 4).readUInt32BE(0) !== file.magic) return `${found.name} has the wrong IDX magic number`
  return null
}

/** {@link idxStatus} of Fashion-MNIST. */
export function datasetStatus(dir: string): DatasetStatus {
  return idxStatus(dir, IDX_FAMILIES['fashion-mnist'])
}

/**
 * Presence and a cheap integrity check of a family's four files in `dir`; `files[].name` is the name
 * found, else the `.gz` name. Usable files are also compared with the official checksums (each file
 * version hashed once per process), so a folder with, say, shuffled labels is named in `warning`.
 */
export function idxStatus(dir: string, spec: Pick<IdxFamilySpec, 'title' | 'files'>): DatasetStatus {
  let isDir = false
  try {
    isDir = statSync(dir).isDirectory()
  } catch {
    isDir = false
  }
  const files: DatasetFileStatus[] = []
  const missing: string[] = []
  const broken: string[] = []
  const unofficial: string[] = []
  for (const file of spec.files) {
    const found = isDir ? locateFile(dir, file) : null
    files.push({ name: found?.name ?? file.name, present: found !== null })
    if (!found) {
      missing.push(file.name)
      continue
    }
    try {
      const problem = quickProblem(file, found, spec.title)
      if (problem) broken.push(problem)
      else if (!isOfficialFile(file, found)) unofficial.push(found.name)
    } catch (error) {
      broken.push(`${found.name} cannot be read (${errorMessage(error)})`)
    }
  }
  let problem: string | null = null
  if (!isDir) problem = `The data folder ${dir} does not exist yet — download the dataset or import the four files from a folder.`
  else if (missing.length > 0)
    problem = `Missing in ${dir}: ${missing.join(', ')} — download the dataset or import the four files from a folder.`
  else if (broken.length > 0) problem = `${broken.join('; ')} — ${FIX}.`
  const warning =
    problem === null && unofficial.length > 0
      ? `${unofficial.join(', ')} ${unofficial.length === 1 ? 'differs' : 'differ'} from the official ${spec.title} ` +
        `${unofficial.length === 1 ? 'file' : 'files'} (not the published checksum): runs will train on ${unofficial.length === 1 ? 'it' : 'them'}, ` +
        `but their results cannot be compared with ${spec.title} results. Download the dataset again to get the official files.`
      : null
  return { ready: problem === null, dir, files, problem, warning }
}
