/** Imports an IDX family's four files from a folder the person points at, verified first and renamed into place atomically. */
import { ensureFolder } from '@main/core/ensure-folder'
import { createHash, randomBytes } from 'node:crypto'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { DatasetError } from './errors'
import { IDX_FAMILIES, type DatasetFile, type IdxFamily, type IdxFamilySpec } from './files'
import { checkLabels, checkPair, IDX_FIX, parseIdx } from './idx'
import { locateFile } from './locate'

export interface ImportOptions {
  /** Folder holding the four files, each as the published `.gz` or decompressed (raw). */
  from: string
  /** The data folder to copy them into; created when missing. */
  to: string
}

export interface IdxImportOptions extends ImportOptions {
  /** The family to import; Fashion-MNIST by default. */
  family?: IdxFamily
  /** The family's files and figures in full (tests use made-up ones); wins over `family`. */
  spec?: Pick<IdxFamilySpec, 'title' | 'files'>
}

interface Verified {
  file: DatasetFile
  /** Name as found in the source folder (and as written to the data folder). */
  name: string
  gzip: boolean
  bytes: Uint8Array
  /** Items the file holds (images or labels). */
  count: number
}

function unchanged(to: string): string {
  return `nothing was imported and ${to} is unchanged`
}

/** Reads one source file and checks it: a `.gz` against the published md5, a raw file by parsing it. */
async function verify(from: string, to: string, file: DatasetFile, title: string): Promise<Verified> {
  const found = locateFile(from, file)
  if (!found) throw new Error('located files vanished')
  let bytes: Uint8Array
  try {
    bytes = await readFile(found.path)
  } catch (cause) {
    throw new DatasetError(found.name, `cannot be read from ${from} (${(cause as Error).message}) — ${unchanged(to)}`, {
      code: 'io',
      cause
    })
  }
  if (found.gzip) {
    const md5 = createHash('md5').update(bytes).digest('hex')
    if (md5 !== file.md5) {
      throw new DatasetError(
        found.name,
        `is not the published file (md5 ${md5}, expected ${file.md5}) — ${unchanged(to)}; import the original files, or download the dataset`,
        { code: 'corrupt' }
      )
    }
    return { file, name: found.name, gzip: true, bytes, count: file.count }
  }
  try {
    const idx = parseIdx(bytes, found.name, { magic: file.magic, shape: file.imageShape, title })
    if (file.kind === 'labels') checkLabels(idx.data, found.name)
    return { file, name: found.name, gzip: false, bytes, count: idx.dims[0] }
  } catch (error) {
    throw restate(error, to)
  }
}

/** A parse error with the import's advice instead of the loader's. */
function restate(error: unknown, to: string): unknown {
  if (!(error instanceof DatasetError)) return error
  const problem = error.message.slice(error.file.length + 2).replace(` — ${IDX_FIX}`, '')
  return new DatasetError(error.file, `${problem} — ${unchanged(to)}; import the original files, or download the dataset`, {
    code: 'corrupt',
    cause: error
  })
}

/** Raw files: one label per image in each split, then the published counts. */
function checkCounts(verified: Verified[], to: string, title: string): void {
  try {
    for (const part of ['train', 'test'] as const) {
      const [images, labels] = verified.filter((v) => v.file.part === part)
      checkPair({ images: images.count, labels: labels.count, imagesName: images.name, labelsName: labels.name })
    }
    for (const v of verified)
      if (!v.gzip) parseIdx(v.bytes, v.name, { magic: v.file.magic, shape: v.file.imageShape, count: v.file.count, title })
  } catch (error) {
    throw restate(error, to)
  }
}

/**
 * Copies the four files from `from` into `to`. Every source file is verified before anything is
 * written; then each is written to a temp file in `to` and renamed over its final name, and the
 * other form of the same file (raw beside an imported `.gz`, or the reverse) is removed.
 * Throws {@link DatasetError} naming the file.
 */
export async function importIdx(options: IdxImportOptions): Promise<void> {
  const { from, to } = options
  const spec = options.spec ?? IDX_FAMILIES[options.family ?? 'fashion-mnist']
  const missing = spec.files.filter((f) => !locateFile(from, f))
  if (missing.length > 0) {
    throw new DatasetError(
      missing[0].name,
      `not found in ${from} (${missing.map((f) => `${f.name} or ${f.rawName}`).join('; ')} missing) — ${unchanged(to)}; pick the folder that holds the four ${spec.title} files`,
      { code: 'missing' }
    )
  }
  const verified: Verified[] = []
  for (const file of spec.files) verified.push(await verify(from, to, file, spec.title))
  checkCounts(verified, to, spec.title)
  if (resolve(from) === resolve(to)) return

  try {
    ensureFolder(to)
  } catch (cause) {
    throw new DatasetError(
      verified[0].name,
      `cannot create the data folder ${to} (${(cause as Error).message}) — pick another data folder`,
      { code: 'io', cause }
    )
  }
  const temps: string[] = []
  try {
    for (const v of verified) {
      const temp = join(to, `.${v.name}.${randomBytes(6).toString('hex')}.part`)
      temps.push(temp)
      const handle = await open(temp, 'wx')
      try {
        await handle.writeFile(v.bytes)
        await handle.sync()
      } finally {
        await handle.close()
      }
    }
  } catch (cause) {
    await Promise.all(temps.map((t) => rm(t, { force: true }).catch(() => undefined)))
    throw new DatasetError(
      verified[temps.length - 1].name,
      `could not be written to ${to} (${(cause as Error).message}) — ${unchanged(to)}; check free space and the folder's permissions`,
      {
        code: 'io',
        cause
      }
    )
  }
  for (const [i, v] of verified.entries()) {
    await rename(temps[i], join(to, v.name))
    await rm(join(to, v.gzip ? v.file.rawName : v.file.name), { force: true })
  }
}

/** {@link importIdx} of Fashion-MNIST. */
export async function importDataset(options: ImportOptions): Promise<void> {
  await importIdx({ from: options.from, to: options.to, family: 'fashion-mnist' })
}
