/** Loads an IDX family (Fashion-MNIST, MNIST, KMNIST) from a data folder into memory as bytes, ready for batching. */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { DatasetError } from './errors'
import { imageBytes, type ImageShape } from '@shared/dataset'
import { filesOf, IDX_FAMILIES, type DatasetFile, type DatasetPart, type IdxFamily, type IdxFamilySpec } from './files'
import { checkLabels, checkPair, corruptGzip, isGzip, parseIdx } from './idx'
import { locateFile } from './locate'

export { datasetStatus } from './status'

const gunzipAsync = promisify(gunzip)

/** One split of the dataset. */
export interface Split {
  /** `count × height × width` bytes (row-major per image, one channel), 0–255 (no float conversion). */
  images: Uint8Array
  /** Each image's shape: the dataset record's (28×28×1 for the MNIST family), checked against the files' headers. */
  shape: ImageShape
  /** `count` class ids 0–9. */
  labels: Uint8Array
  count: number
}

/** The loaded dataset: the parts asked for, and a digest identifying their content. */
export interface FashionMnist {
  train?: Split
  test?: Split
  /**
   * Hex sha256 identifying the loaded content, independent of gzip vs raw storage: the sha256 of
   * the lines `<raw file name> <sha256 of its decompressed IDX bytes>\n` for each loaded file in
   * the fixed order (train images, train labels, test images, test labels). With both parts
   * (the default) it identifies the whole dataset; loading one part gives that part's digest.
   */
  checksum: string
}

export interface LoadOptions {
  /** Which splits to load; both by default. */
  parts?: DatasetPart[]
  /** Which family's files to expect; Fashion-MNIST by default. */
  family?: IdxFamily
  /** The family's files and figures in full (tests use made-up ones); wins over `family`. */
  spec?: Pick<IdxFamilySpec, 'title' | 'files'>
}

/** Reads one file (gz or raw) and decompresses it off the main thread. */
async function readRaw(dir: string, file: DatasetFile): Promise<{ name: string; raw: Uint8Array }> {
  const found = locateFile(dir, file)
  if (!found) {
    throw new DatasetError(
      file.name,
      `not found in ${dir} (neither ${file.name} nor ${file.rawName}) — download the dataset or import it from a folder`,
      { code: 'missing' }
    )
  }
  let bytes: Uint8Array
  try {
    bytes = await readFile(found.path)
  } catch (cause) {
    throw new DatasetError(found.name, `cannot be read (${(cause as Error).message}) — check the folder's permissions`, {
      code: 'io',
      cause
    })
  }
  if (!isGzip(bytes)) return { name: found.name, raw: bytes }
  try {
    return { name: found.name, raw: await gunzipAsync(bytes) }
  } catch (cause) {
    throw corruptGzip(found.name, cause)
  }
}

/** Loads and validates the requested parts from `dir` (each file gzipped or raw). Throws {@link DatasetError}. */
export async function loadDataset(dir: string, options: LoadOptions = {}): Promise<FashionMnist> {
  const parts = options.parts ?? ['train', 'test']
  const spec = options.spec ?? IDX_FAMILIES[options.family ?? 'fashion-mnist']
  const files = filesOf(parts, spec.files)
  const read = await Promise.all(files.map((f) => readRaw(dir, f)))
  const digest = createHash('sha256')
  const data = new Map<DatasetFile['key'], { name: string; items: Uint8Array }>()
  files.forEach((file, i) => {
    const { name, raw } = read[i]
    const idx = parseIdx(raw, name, { magic: file.magic, shape: file.imageShape, title: spec.title })
    data.set(file.key, { name, items: idx.data })
    digest.update(`${file.rawName} ${createHash('sha256').update(raw).digest('hex')}\n`)
  })
  const result: FashionMnist = { checksum: digest.digest('hex') }
  for (const part of parts) {
    const [imagesFile, labelsFile] = spec.files.filter((f) => f.part === part)
    const images = data.get(imagesFile.key)
    const labels = data.get(labelsFile.key)
    if (!images || !labels) continue
    const shape = imagesFile.imageShape
    if (!shape) throw new Error(`${imagesFile.name} is listed as images without an image shape`)
    const count = images.items.length / imageBytes(shape)
    checkPair({ images: count, labels: labels.items.length, imagesName: images.name, labelsName: labels.name })
    // Same checks as above, now with the published counts: a header that disagrees with them is named.
    files.forEach((file, i) => {
      if (file.part === part)
        parseIdx(read[i].raw, read[i].name, { magic: file.magic, shape: file.imageShape, count: file.count, title: spec.title })
    })
    checkLabels(labels.items, labels.name)
    result[part] = { images: images.items, labels: labels.items, count, shape }
  }
  return result
}
