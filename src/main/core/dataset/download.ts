/**
 * Downloads published files, verified by size and md5 and renamed into place atomically: the IDX
 * family's four files here, and (through {@link fetchVerified}) CIFAR-10's archive.
 */
import { ensureFolder } from '@main/core/ensure-folder'
import type { DatasetProgress } from '@shared/dataset'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { DatasetError, formatCount } from './errors'
import { IDX_FAMILIES, resolveBaseUrls, type DatasetFile, type IdxFamily, type IdxFamilySpec } from './files'
import { parseIdx } from './idx'
import { locateFile } from './locate'

/** Progress of one file's download. */
export interface DownloadProgress {
  /** Published name of the file being downloaded. */
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
  /** Base URL the file names are appended to; defaults to `ATELIER_DATASET_URL`, then the authors' HTTPS URL, then their mirror. */
  baseUrl?: string
  /** Called at most every 100 ms per file, and once more when its last byte arrived. Files already good report nothing. */
  onProgress?: (progress: DownloadProgress) => void
  /** Aborts the download; the file in flight is discarded, files already in place stay. */
  signal?: AbortSignal
  /** For tests and proxies; the global `fetch` by default. */
  fetchImpl?: typeof fetch
}

export interface IdxDownloadOptions extends Omit<DownloadOptions, 'onProgress'> {
  /** The family to download; Fashion-MNIST by default. */
  family?: IdxFamily
  /** The family's files, figures and hosts in full (tests use made-up ones); wins over `family`. */
  spec?: IdxFamilySpec
  /** Progress over all files still to fetch, with speed and ETA. */
  onProgress?: (progress: DatasetProgress) => void
  /** Per-file progress (the older event shape). */
  onFileProgress?: (progress: DownloadProgress) => void
}

/** What {@link fetchVerified} downloads. */
export interface PublishedFile {
  name: string
  bytes: number
  md5: string
}

export interface FetchVerifiedOptions {
  /** Folder the file is written into (it exists). */
  dir: string
  file: PublishedFile
  /** Full URLs tried in order; the next is tried when one fails on the way or sends the wrong bytes. */
  urls: readonly string[]
  /** The dataset's name in messages. */
  title: string
  /** What to do after a failure, ending each message. */
  next: string
  fetchImpl: typeof fetch
  onProgress?: (progress: DownloadProgress) => void
  signal?: AbortSignal
}

const PROGRESS_EVERY_MS = 100
const nextFor = (what: string): string =>
  `nothing of it was kept and the files already in the folder are untouched; retry the download, or import ${what} from a folder`
const IDX_NEXT = nextFor('the four files')

/** The md5 of a file on disk, streamed. */
export async function md5Of(path: string): Promise<string> {
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
    parseIdx(await readFile(found.path), found.name, { magic: file.magic, shape: file.imageShape, count: file.count })
    return true
  } catch {
    return false
  }
}

/** The reason in an error, with its cause's. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as Error & { cause?: unknown }).cause
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message
}

/** The error for an abort. */
export function cancelled(file: string, cause?: unknown): DatasetError {
  return new DatasetError(
    file,
    'download cancelled — nothing of this file was kept; files already downloaded stay, so a new download continues from here',
    { code: 'cancelled', cause }
  )
}

/** Turns whatever went wrong into a DatasetError that names the file and says what to do. */
function wrapFailure(error: unknown, options: { name: string; url: string; next: string; signal?: AbortSignal }): DatasetError {
  if (error instanceof DatasetError) return error
  if (options.signal?.aborted) return cancelled(options.name, error)
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && (error as { syscall?: unknown }).syscall) {
    return new DatasetError(
      options.name,
      `could not write the download to disk (${reasonOf(error)}) — ${options.next}; check free space and the folder's permissions`,
      { code: 'io', cause: error }
    )
  }
  return new DatasetError(options.name, `download from ${options.url} failed (${reasonOf(error)}) — ${options.next}`, {
    code: 'network',
    cause: error
  })
}

type FetchOneOptions = Omit<FetchVerifiedOptions, 'urls'> & { url: string }

/** Streams one file from one URL to a temp file in the folder, verifies it, then renames it over the final name. */
async function fetchOne({ dir, file, url, title, next, fetchImpl, onProgress, signal }: FetchOneOptions): Promise<void> {
  const temp = join(dir, `.${file.name}.${randomBytes(6).toString('hex')}.part`)
  let handle: FileHandle | null = null
  try {
    const response = await fetchImpl(url, { signal, redirect: 'follow' })
    if (!response.ok || !response.body) {
      throw new DatasetError(file.name, `download from ${url} failed (HTTP ${response.status} ${response.statusText}) — ${next}`, {
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
          `${url} sent more than the published ${formatCount(file.bytes)} bytes, so it is not the ${title} file — ${next}`,
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
        `download from ${url} ended after ${formatCount(done)} of ${formatCount(file.bytes)} bytes — ${next}`,
        {
          code: 'network'
        }
      )
    }
    const md5 = hash.digest('hex')
    if (md5 !== file.md5) {
      throw new DatasetError(file.name, `downloaded file is corrupt (md5 ${md5}, expected ${file.md5}) — ${next}`, { code: 'corrupt' })
    }
    await handle.sync()
    await handle.close()
    handle = null
    await rename(temp, join(dir, file.name))
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await rm(temp, { force: true }).catch(() => undefined)
    throw wrapFailure(error, { name: file.name, url, next, signal })
  }
}

/** The problem part of a DatasetError's message (between `<file>: ` and ` — <advice>`). */
const problemOf = (error: DatasetError): string => error.message.slice(error.file.length + 2).split(' — ')[0]

/**
 * Downloads one published file into `dir` (temp file, size and md5 checked, fsync, rename), trying
 * each URL in turn while the failure is the host's (unreachable, HTTP error, cut off, wrong bytes).
 * A cancel or a disk error stops at once. Throws a {@link DatasetError}; nothing is left behind on failure.
 */
export async function fetchVerified(options: FetchVerifiedOptions): Promise<void> {
  const failures: DatasetError[] = []
  for (const url of options.urls) {
    if (options.signal?.aborted) throw cancelled(options.file.name, options.signal.reason)
    try {
      await fetchOne({ ...options, url })
      return
    } catch (error) {
      const e = error as DatasetError
      if (e.code === 'cancelled' || e.code === 'io' || options.urls.length === 1) throw e
      failures.push(e)
    }
  }
  const tried = failures.map((e, i) => `${options.urls[i]}: ${problemOf(e)}`).join('; ')
  throw new DatasetError(options.file.name, `download failed from every host (${tried}) — ${options.next}`, {
    code: failures.at(-1)?.code ?? 'network',
    cause: failures.at(-1)
  })
}

/** Creates the data folder, reporting a failure as a DatasetError naming `file`. */
export function ensureDataFolder(dir: string, file: string): void {
  try {
    ensureFolder(dir)
  } catch (cause) {
    throw new DatasetError(file, `cannot create the data folder ${dir} (${reasonOf(cause)}) — pick another data folder`, {
      code: 'io',
      cause
    })
  }
}

/** Turns per-file byte counts into progress over several files, with speed and ETA. */
export function progressOver(options: { dataset: string; total: number; onProgress?: (progress: DatasetProgress) => void }): {
  file: (p: DownloadProgress) => void
  finish: (bytes: number) => void
} {
  const started = performance.now()
  let finished = 0
  return {
    file: (p) => {
      const done = finished + p.bytesDone
      const perSec = done / (Math.max(performance.now() - started, 1) / 1000)
      const left = options.total - done
      options.onProgress?.({
        dataset: options.dataset,
        phase: 'downloading',
        done,
        total: options.total,
        unit: 'bytes',
        perSec,
        etaSeconds: perSec > 0 ? left / perSec : null,
        file: p.file
      })
    },
    finish: (bytes) => (finished += bytes)
  }
}

/** Downloads each of a family's four files that is missing or not good, one after another. Throws {@link DatasetError}. */
export async function downloadIdx(options: IdxDownloadOptions): Promise<void> {
  const { dir, signal } = options
  const spec = options.spec ?? IDX_FAMILIES[options.family ?? 'fashion-mnist']
  const bases = resolveBaseUrls(spec, options.baseUrl)
  const fetchImpl = options.fetchImpl ?? fetch
  ensureDataFolder(dir, spec.files[0].name)
  const todo: DatasetFile[] = []
  for (const file of spec.files) if (!(await alreadyGood(dir, file))) todo.push(file)
  const progress = progressOver({ dataset: spec.family, total: todo.reduce((n, f) => n + f.bytes, 0), onProgress: options.onProgress })
  for (const file of todo) {
    if (signal?.aborted) throw cancelled(file.name, signal.reason)
    await fetchVerified({
      dir,
      file,
      urls: bases.map((base) => new URL(file.name, base).href),
      title: spec.title,
      next: IDX_NEXT,
      fetchImpl,
      signal,
      onProgress: (p) => {
        options.onFileProgress?.(p)
        progress.file(p)
      }
    })
    progress.finish(file.bytes)
    // The verified .gz now wins; a raw copy beside it could only be a stale or broken one.
    await rm(join(dir, file.rawName), { force: true }).catch(() => undefined)
  }
}

/** Downloads the Fashion-MNIST files that are missing or not good (see {@link downloadIdx}). Throws {@link DatasetError}. */
export async function downloadDataset(options: DownloadOptions): Promise<void> {
  await downloadIdx({ ...options, family: 'fashion-mnist', onProgress: undefined, onFileProgress: options.onProgress })
}
