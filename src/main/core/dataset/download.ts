/** Downloads the missing or damaged Fashion-MNIST files, verified by md5 and renamed into place atomically. */
import { ensureFolder } from '@main/core/ensure-folder'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { DatasetError, formatCount } from './errors'
import { DATASET_FILES, resolveBaseUrl, type DatasetFile } from './files'
import { parseIdx } from './idx'
import { locateFile } from './locate'

/** Progress of one file's download. */
export interface DownloadProgress {
  /** Published `.gz` name of the file being downloaded. */
  file: string
  bytesDone: number
  /** The published size of the file. */
  bytesTotal: number
  /** Mean speed since this file's download started. */
  bytesPerSec: number
}

export interface DownloadOptions {
  /** Data folder; created when missing. */
  dir: string
  /** Base URL the file names are appended to; defaults to `ATELIER_DATASET_URL`, then the authors' HTTPS URL. */
  baseUrl?: string
  /** Called at most every 100 ms per file, and once more when its last byte arrived. Files already good report nothing. */
  onProgress?: (progress: DownloadProgress) => void
  /** Aborts the download; the file in flight is discarded, files already in place stay. */
  signal?: AbortSignal
  /** For tests and proxies; the global `fetch` by default. */
  fetchImpl?: typeof fetch
}

const PROGRESS_EVERY_MS = 100
const NEXT =
  'nothing of it was kept and the files already in the folder are untouched; retry the download, or import the four files from a folder'

async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** True when the file the loader would pick is already good: a `.gz` with the published size and md5, or a raw file that parses. */
async function alreadyGood(dir: string, file: DatasetFile): Promise<boolean> {
  const found = locateFile(dir, file)
  if (!found) return false
  try {
    if (found.gzip) return found.size === file.bytes && (await md5Of(found.path)) === file.md5
    parseIdx(await readFile(found.path), found.name, { magic: file.magic, count: file.count })
    return true
  } catch {
    return false
  }
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as Error & { cause?: unknown }).cause
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message
}

/** Turns whatever went wrong into a DatasetError that names the file and says what to do. */
function wrapFailure(error: unknown, file: DatasetFile, url: string, signal?: AbortSignal): DatasetError {
  if (error instanceof DatasetError) return error
  if (signal?.aborted) {
    return new DatasetError(
      file.name,
      'download cancelled — nothing of this file was kept; files already downloaded stay, so a new download continues from here',
      {
        code: 'cancelled',
        cause: error
      }
    )
  }
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && (error as { syscall?: unknown }).syscall) {
    return new DatasetError(
      file.name,
      `could not write the download to disk (${reasonOf(error)}) — ${NEXT}; check free space and the folder's permissions`,
      {
        code: 'io',
        cause: error
      }
    )
  }
  return new DatasetError(file.name, `download from ${url} failed (${reasonOf(error)}) — ${NEXT}`, { code: 'network', cause: error })
}

interface FetchOneOptions {
  dir: string
  file: DatasetFile
  url: string
  fetchImpl: typeof fetch
  onProgress?: DownloadOptions['onProgress']
  signal?: AbortSignal
}

/** Streams one file to a temp file in the data folder, verifies it, then renames it over the final name. */
async function fetchOne({ dir, file, url, fetchImpl, onProgress, signal }: FetchOneOptions): Promise<void> {
  const temp = join(dir, `.${file.name}.${randomBytes(6).toString('hex')}.part`)
  let handle: FileHandle | null = null
  try {
    const response = await fetchImpl(url, { signal, redirect: 'follow' })
    if (!response.ok || !response.body) {
      throw new DatasetError(file.name, `download from ${url} failed (HTTP ${response.status} ${response.statusText}) — ${NEXT}`, {
        code: 'network'
      })
    }
    handle = await open(temp, 'wx')
    const hash = createHash('md5')
    const started = performance.now()
    let done = 0
    let lastReport = -Infinity
    let reported = -1
    const report = (): void => {
      const seconds = Math.max(performance.now() - started, 1) / 1000
      onProgress?.({ file: file.name, bytesDone: done, bytesTotal: file.bytes, bytesPerSec: done / seconds })
      lastReport = performance.now()
      reported = done
    }
    for await (const chunk of response.body) {
      done += chunk.byteLength
      if (done > file.bytes) {
        throw new DatasetError(
          file.name,
          `${url} sent more than the published ${formatCount(file.bytes)} bytes, so it is not the Fashion-MNIST file — ${NEXT}`,
          { code: 'corrupt' }
        )
      }
      hash.update(chunk)
      await handle.write(chunk)
      if (performance.now() - lastReport >= PROGRESS_EVERY_MS) report()
    }
    if (reported !== done) report()
    if (done !== file.bytes) {
      throw new DatasetError(
        file.name,
        `download from ${url} ended after ${formatCount(done)} of ${formatCount(file.bytes)} bytes — ${NEXT}`,
        { code: 'network' }
      )
    }
    const md5 = hash.digest('hex')
    if (md5 !== file.md5) {
      throw new DatasetError(file.name, `downloaded file is corrupt (md5 ${md5}, expected ${file.md5}) — ${NEXT}`, { code: 'corrupt' })
    }
    await handle.sync()
    await handle.close()
    handle = null
    await rename(temp, join(dir, file.name))
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await rm(temp, { force: true }).catch(() => undefined)
    throw wrapFailure(error, file, url, signal)
  }
  // The verified .gz now wins; a raw copy beside it could only be a stale or broken one.
  await rm(join(dir, file.rawName), { force: true }).catch(() => undefined)
}

/** Downloads each of the four files that is missing or not good, one after another. Throws {@link DatasetError}. */
export async function downloadDataset(options: DownloadOptions): Promise<void> {
  const { dir, onProgress, signal } = options
  const base = resolveBaseUrl(options.baseUrl)
  const fetchImpl = options.fetchImpl ?? fetch
  try {
    ensureFolder(dir)
  } catch (cause) {
    throw new DatasetError(DATASET_FILES[0].name, `cannot create the data folder ${dir} (${reasonOf(cause)}) — pick another data folder`, {
      code: 'io',
      cause
    })
  }
  for (const file of DATASET_FILES) {
    if (signal?.aborted) throw wrapFailure(signal.reason, file, base, signal)
    if (await alreadyGood(dir, file)) continue
    await fetchOne({ dir, file, url: new URL(file.name, base).href, fetchImpl, onProgress, signal })
  }
}
