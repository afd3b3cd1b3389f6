/**
 * CIFAR-10's official files into a dataset folder: download the archive (md5-verified, atomic) and
 * unpack the six batch files, or import the archive, its extracted folder, or the batch files
 * themselves. Everything is checked in a temp folder inside the target before anything is renamed
 * into place; a failure leaves the target as it was.
 */
import type { DatasetProgress } from '@shared/dataset'
import { randomBytes } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { extract } from 'tar'
import { CIFAR10, cifar10Status, checkBatch, type Cifar10Spec } from './cifar10'
import { cancelled, ensureDataFolder, fetchVerified, md5Of, progressOver, reasonOf } from './download'
import { DatasetError } from './errors'
import { resolveBaseUrls } from './files'

export interface Cifar10DownloadOptions {
  /** Dataset folder; created when missing. */
  dir: string
  /** Replaces the official host (tests use a local server); else `ATELIER_CIFAR10_URL`, else the authors' host. */
  baseUrl?: string
  onProgress?: (progress: DatasetProgress) => void
  signal?: AbortSignal
  fetchImpl?: typeof fetch
  /** Made-up figures for tests; the official ones by default. */
  spec?: Cifar10Spec
}

export interface Cifar10ImportOptions {
  /** The archive, a folder holding it, its extracted `cifar-10-batches-bin/` folder, or a folder holding the batch files. */
  from: string
  /** Dataset folder the batch files go into; created when missing. */
  to: string
  onProgress?: (progress: DatasetProgress) => void
  signal?: AbortSignal
  spec?: Cifar10Spec
}

/** Where CIFAR-10's files were found in what the person pointed at. */
type Source = { kind: 'batches'; dir: string } | { kind: 'archive'; path: string }

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile()
const isDir = (path: string): boolean => existsSync(path) && statSync(path).isDirectory()

/** Finds the batch files (directly, or in the archive's folder) or the archive. */
export function locateCifarSource(from: string, spec: Cifar10Spec = CIFAR10): Source | null {
  if (isFile(from)) return { kind: 'archive', path: from }
  const first = spec.batches[0].name
  for (const dir of [from, join(from, spec.folder)]) if (isFile(join(dir, first))) return { kind: 'batches', dir }
  const archive = join(from, spec.archive.name)
  return isFile(archive) ? { kind: 'archive', path: archive } : null
}

interface Install {
  /** Folder holding the checked-out batch files. */
  src: string
  to: string
  spec: Cifar10Spec
  /** Rename (files in a temp folder of ours) or copy (the person's files). */
  move: boolean
  /** What the batch files came from, for "not in …" messages. */
  origin: string
  /** Advice ending each message. */
  fix: string
  /** False when the files were checked already. */
  check?: boolean
  onProgress?: (progress: DatasetProgress) => void
  signal?: AbortSignal
}

/** Checks every batch file in `src` (presence, size, labels), then puts them (and the meta file) into `to`. */
async function installBatches(options: Install): Promise<void> {
  const { src, to, spec, fix } = options
  const total = spec.batches.reduce((n, b) => n + b.count, 0)
  let done = 0
  const started = performance.now()
  for (const batch of spec.batches) {
    if (options.signal?.aborted) throw cancelled(batch.name, options.signal.reason)
    const path = join(src, batch.name)
    if (options.check === false) continue
    if (!isFile(path)) throw new DatasetError(batch.name, `not in ${options.origin} — ${fix}`, { code: 'missing' })
    checkBatch(await readFile(path), batch, fix)
    done += batch.count
    const perSec = done / (Math.max(performance.now() - started, 1) / 1000)
    options.onProgress?.({
      dataset: 'cifar10',
      phase: 'verifying',
      done,
      total,
      unit: 'images',
      perSec,
      etaSeconds: (total - done) / perSec,
      file: batch.name
    })
  }
  if (resolve(src) === resolve(to)) return
  const names = [...spec.batches.map((b) => b.name), ...(isFile(join(src, spec.meta)) ? [spec.meta] : [])]
  const staged: [string, string][] = []
  try {
    for (const name of names) {
      let from = join(src, name)
      if (!options.move) {
        const temp = join(to, `.${name}.${randomBytes(6).toString('hex')}.part`)
        staged.push([temp, name])
        await copyFile(from, temp)
        const handle = await open(temp, 'r+')
        await handle.sync().finally(() => handle.close())
        from = temp
      } else staged.push([from, name])
    }
  } catch (cause) {
    if (!options.move) await Promise.all(staged.map(([temp]) => rm(temp, { force: true })))
    throw new DatasetError(
      staged.at(-1)?.[1] ?? names[0],
      `could not be written to ${to} (${reasonOf(cause)}) — ${fix}; check free space and the folder's permissions`,
      { code: 'io', cause }
    )
  }
  for (const [from, name] of staged) await rename(from, join(to, name))
}

/** Unpacks the batch files of `archive` into a temp folder inside `to`, checks them, then renames them into `to`. */
async function unpackInto(options: Omit<Install, 'src' | 'move' | 'origin'> & { archive: string; archiveName: string }): Promise<void> {
  const { spec, to } = options
  const temp = join(to, `.${spec.folder}.${randomBytes(6).toString('hex')}.part`)
  const wanted = new Set([...spec.batches.map((b) => b.name), spec.meta].flatMap((n) => [n, `${spec.folder}/${n}`]))
  try {
    await mkdir(temp)
    try {
      await extract({
        file: options.archive,
        cwd: temp,
        strict: true,
        // Only the batch files and the meta file, and only as plain files (no links out of the folder).
        filter: (path, entry) => wanted.has(path.replace(/^\.\//, '')) && ('type' in entry ? entry.type === 'File' : entry.isFile())
      })
    } catch (cause) {
      if (options.signal?.aborted) throw cancelled(options.archiveName, cause)
      const disk = typeof (cause as { syscall?: unknown }).syscall === 'string'
      throw new DatasetError(options.archiveName, `cannot be unpacked (${reasonOf(cause)}) — ${options.fix}`, {
        code: disk ? 'io' : 'corrupt',
        cause
      })
    }
    const src = isDir(join(temp, spec.folder)) ? join(temp, spec.folder) : temp
    await installBatches({ ...options, src, move: true, origin: options.archiveName })
  } finally {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined)
  }
}

/**
 * Downloads CIFAR-10 into `dir` unless its six batch files are already there: the archive (size and
 * md5 checked, temp file, fsync, rename), then its batch files unpacked and checked in a temp folder
 * and renamed into place; the archive is deleted afterwards. Throws a {@link DatasetError}.
 */
export async function downloadCifar10(options: Cifar10DownloadOptions): Promise<void> {
  const spec = options.spec ?? CIFAR10
  const { dir, signal } = options
  ensureDataFolder(dir, spec.archive.name)
  if (cifar10Status(dir, spec).ready) return
  const archive = join(dir, spec.archive.name)
  const have = isFile(archive) && statSync(archive).size === spec.archive.bytes && (await md5Of(archive)) === spec.archive.md5
  if (!have) {
    const progress = progressOver({ dataset: 'cifar10', total: spec.archive.bytes, onProgress: options.onProgress })
    await fetchVerified({
      dir,
      file: spec.archive,
      urls: resolveBaseUrls(spec, options.baseUrl).map((base) => new URL(spec.archive.name, base).href),
      title: spec.title,
      next: 'nothing of it was kept and the dataset folder is untouched; retry the download, or import the archive from a folder',
      fetchImpl: options.fetchImpl ?? fetch,
      signal,
      onProgress: progress.file
    })
  }
  if (signal?.aborted) throw cancelled(spec.archive.name, signal.reason)
  try {
    await unpackInto({
      ...options,
      spec,
      to: dir,
      archive,
      archiveName: spec.archive.name,
      fix: `the batch files in ${dir} are unchanged; retry the download, or import the archive from a folder`
    })
  } catch (error) {
    // A verified archive that cannot be unpacked for want of disk stays, so a retry need not download it again.
    if (!(error instanceof DatasetError) || error.code !== 'io') await rm(archive, { force: true }).catch(() => undefined)
    throw error
  }
  await rm(archive, { force: true })
}

/**
 * Imports CIFAR-10 from what the person pointed at (see {@link Cifar10ImportOptions.from}): an archive
 * must match the published md5; batch files are checked (size, labels). Nothing is written to `to`
 * unless all six pass. Throws a {@link DatasetError}.
 */
export async function importCifar10(options: Cifar10ImportOptions): Promise<void> {
  const spec = options.spec ?? CIFAR10
  const { from, to } = options
  const unchanged = `nothing was imported and ${to} is unchanged`
  const fix = `${unchanged}; import the original archive or batch files, or download the dataset`
  const source = locateCifarSource(from, spec)
  if (!source) {
    throw new DatasetError(
      spec.archive.name,
      `not found in ${from} (neither the archive, a ${spec.folder} folder, nor the batch files ${spec.batches.map((b) => b.name).join(', ')}) — ${unchanged}; pick the folder that holds them`,
      { code: 'missing' }
    )
  }
  const created = !existsSync(to)
  if (source.kind === 'batches') {
    // Checked where they are first, so a bad folder creates nothing.
    await installBatches({ ...options, spec, src: source.dir, to: source.dir, move: false, origin: source.dir, fix })
    if (resolve(source.dir) === resolve(to)) return
  } else {
    const md5 = await md5Of(source.path)
    if (md5 !== spec.archive.md5) {
      throw new DatasetError(
        basename(source.path),
        `is not the published ${spec.archive.name} (md5 ${md5}, expected ${spec.archive.md5}) — ${fix}`,
        {
          code: 'corrupt'
        }
      )
    }
  }
  ensureDataFolder(to, spec.archive.name)
  try {
    if (source.kind === 'batches') {
      await installBatches({ ...options, spec, src: source.dir, move: false, origin: source.dir, fix, check: false })
    } else await unpackInto({ ...options, spec, archive: source.path, archiveName: spec.archive.name, fix })
  } catch (error) {
    if (created) await rm(to, { recursive: true, force: true }).catch(() => undefined)
    throw error
  }
}
