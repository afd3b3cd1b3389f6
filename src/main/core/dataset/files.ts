/** The four published Fashion-MNIST files and where to fetch them. */

export type DatasetFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels'
export type DatasetPart = 'train' | 'test'

/** One of the four official files, with the figures its authors publish. */
export interface DatasetFile {
  key: DatasetFileKey
  /** Published gzip name, e.g. `train-images-idx3-ubyte.gz`. */
  name: string
  /** Name of the same file decompressed (the `.gz` dropped); also accepted in a data folder. */
  rawName: string
  /** Which split the file belongs to. */
  part: DatasetPart
  /** md5 of the published gzip file, lower-case hex. */
  md5: string
  /** sha256 of the decompressed IDX file, lower-case hex (the same content, gzipped or not). */
  rawSha256: string
  /** Size of the published gzip file in bytes. */
  bytes: number
  /** Number of images or labels in the file. */
  count: number
  kind: 'images' | 'labels'
  /** IDX magic number: 2051 for unsigned-byte 3-D images, 2049 for unsigned-byte 1-D labels. */
  magic: 2051 | 2049
  /** Size of the decompressed IDX file in bytes (header plus data). */
  rawBytes: number
}

export const IMAGE_SIDE = 28
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE
export const IMAGES_MAGIC = 2051
export const LABELS_MAGIC = 2049

function file(spec: Omit<DatasetFile, 'rawName' | 'magic' | 'rawBytes'>): DatasetFile {
  const images = spec.kind === 'images'
  return {
    ...spec,
    rawName: spec.name.replace(/\.gz$/, ''),
    magic: images ? IMAGES_MAGIC : LABELS_MAGIC,
    rawBytes: images ? 16 + spec.count * IMAGE_PIXELS : 8 + spec.count
  }
}

/** The four files in a fixed order (train images, train labels, test images, test labels). */
export const DATASET_FILES: readonly DatasetFile[] = [
  file({
    key: 'trainImages',
    name: 'train-images-idx3-ubyte.gz',
    part: 'train',
    md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
    rawSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    bytes: 26_421_880,
    count: 60_000,
    kind: 'images'
  }),
  file({
    key: 'trainLabels',
    name: 'train-labels-idx1-ubyte.gz',
    part: 'train',
    md5: '25c81989df183df01b3e8a0aad5dffbe',
    rawSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    bytes: 29_515,
    count: 60_000,
    kind: 'labels'
  }),
  file({
    key: 'testImages',
    name: 't10k-images-idx3-ubyte.gz',
    part: 'test',
    md5: 'bef4ecab320f06d8554ea6380940ec79',
    rawSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    bytes: 4_422_102,
    count: 10_000,
    kind: 'images'
  }),
  file({
    key: 'testLabels',
    name: 't10k-labels-idx1-ubyte.gz',
    part: 'test',
    md5: 'bb300cfdad3c16e7a12a480ee83cd310',
    rawSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    bytes: 5_148,
    count: 10_000,
    kind: 'labels'
  })
]

/**
 * Where the dataset's authors publish the files over HTTPS (GitHub redirects to its raw host).
 * Their S3 mirror, http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/, is plain HTTP.
 */
export const DEFAULT_DATASET_URL = 'https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/'

/** Environment variable that overrides the download base URL. */
export const DATASET_URL_ENV = 'ATELIER_DATASET_URL'

/** The base URL to download from: the option, else `ATELIER_DATASET_URL`, else the authors' HTTPS URL; always ends in `/`. */
export function resolveBaseUrl(baseUrl?: string): string {
  const chosen = baseUrl || process.env[DATASET_URL_ENV] || DEFAULT_DATASET_URL
  return chosen.endsWith('/') ? chosen : `${chosen}/`
}

/** The files of the given parts, in the fixed order. */
export function filesOf(parts: readonly DatasetPart[]): DatasetFile[] {
  return DATASET_FILES.filter((f) => parts.includes(f.part))
}
