/**
 * The published files of the IDX family (Fashion-MNIST, MNIST, Kuzushiji-MNIST) and where to fetch
 * them: the same four file names, each family with its own md5s, sizes and hosts.
 */
import { BUILTINS, imageBytes, type ImageShape } from '@shared/dataset'

export type DatasetFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels'
export type DatasetPart = 'train' | 'test'
/** The built-ins published as four IDX files. */
export type IdxFamily = 'fashion-mnist' | 'mnist' | 'kmnist'

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
  /**
   * sha256 of the decompressed IDX file, lower-case hex (the same content, gzipped or not); null
   * when it is not known (then a raw or re-compressed copy cannot be told from the official one).
   */
  rawSha256: string | null
  /** Size of the published gzip file in bytes. */
  bytes: number
  /** Number of images or labels in the file. */
  count: number
  kind: 'images' | 'labels'
  /** IDX magic number: 2051 for unsigned-byte 3-D images, 2049 for unsigned-byte 1-D labels. */
  magic: 2051 | 2049
  /** Size of the decompressed IDX file in bytes (header plus data). */
  rawBytes: number
  /** Each image's shape for an images file (its dataset record's), null for labels. */
  imageShape: ImageShape | null
}

/** One IDX family: its four files and the hosts that publish them. */
export interface IdxFamilySpec {
  family: IdxFamily
  /** Name people know it by, used in messages ("Fashion-MNIST"). */
  title: string
  /** The four files in the fixed order (train images, train labels, test images, test labels). */
  files: readonly DatasetFile[]
  /** Base URLs tried in order: the official host first, then documented mirrors; each ends in `/`. */
  urls: readonly string[]
  /** Environment variable that replaces `urls` with one base URL. */
  urlEnv: string
}

export const IMAGES_MAGIC = 2051
export const LABELS_MAGIC = 2049

type FileFigures = Pick<DatasetFile, 'md5' | 'rawSha256' | 'bytes'>

const LAYOUT = [
  { key: 'trainImages', name: 'train-images-idx3-ubyte.gz', part: 'train', kind: 'images', count: 60_000 },
  { key: 'trainLabels', name: 'train-labels-idx1-ubyte.gz', part: 'train', kind: 'labels', count: 60_000 },
  { key: 'testImages', name: 't10k-images-idx3-ubyte.gz', part: 'test', kind: 'images', count: 10_000 },
  { key: 'testLabels', name: 't10k-labels-idx1-ubyte.gz', part: 'test', kind: 'labels', count: 10_000 }
] as const

/**
 * Completes a file spec: raw name, magic and decompressed size follow from name, kind and count, and an
 * images file's image shape is `shape`, its dataset record's.
 */
export function idxFile(spec: Omit<DatasetFile, 'rawName' | 'magic' | 'rawBytes' | 'imageShape'>, shape: ImageShape): DatasetFile {
  const images = spec.kind === 'images'
  return {
    ...spec,
    rawName: spec.name.replace(/\.gz$/, ''),
    magic: images ? IMAGES_MAGIC : LABELS_MAGIC,
    rawBytes: images ? 16 + spec.count * imageBytes(shape) : 8 + spec.count,
    imageShape: images ? shape : null
  }
}

/**
 * The four files of a family from its published figures, in the order train images, train labels, test
 * images, test labels; image shapes from the family's dataset record.
 */
function familyFiles(family: IdxFamily, figures: [FileFigures, FileFigures, FileFigures, FileFigures]): DatasetFile[] {
  return LAYOUT.map((layout, i) => idxFile({ ...layout, ...figures[i] }, BUILTINS[family].shape))
}

/** The four Fashion-MNIST files (md5s and sizes from the authors' README; sha256s of the decompressed files measured). */
export const DATASET_FILES: readonly DatasetFile[] = familyFiles('fashion-mnist', [
  {
    md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
    rawSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    bytes: 26_421_880
  },
  {
    md5: '25c81989df183df01b3e8a0aad5dffbe',
    rawSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    bytes: 29_515
  },
  {
    md5: 'bef4ecab320f06d8554ea6380940ec79',
    rawSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    bytes: 4_422_102
  },
  {
    md5: 'bb300cfdad3c16e7a12a480ee83cd310',
    rawSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    bytes: 5_148
  }
])

/**
 * Where the dataset's authors publish the files over HTTPS (GitHub redirects to its raw host).
 * Their S3 mirror, http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/, is plain HTTP.
 */
export const DEFAULT_DATASET_URL = 'https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/'

/** Environment variable that overrides the Fashion-MNIST download base URL. */
export const DATASET_URL_ENV = 'ATELIER_DATASET_URL'

/**
 * The three families. md5s as torchvision's `mnist.py` lists them (MNIST, KMNIST; Fashion-MNIST's
 * agree with its authors' README); sizes as the hosts send them (Content-Length). The decompressed
 * files' sha256 is known only for Fashion-MNIST.
 */
export const IDX_FAMILIES: Record<IdxFamily, IdxFamilySpec> = {
  'fashion-mnist': {
    family: 'fashion-mnist',
    title: 'Fashion-MNIST',
    files: DATASET_FILES,
    urls: [DEFAULT_DATASET_URL, 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
    urlEnv: DATASET_URL_ENV
  },
  mnist: {
    family: 'mnist',
    title: 'MNIST',
    files: familyFiles('mnist', [
      { md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873', rawSha256: null, bytes: 9_912_422 },
      { md5: 'd53e105ee54ea40749a09fcbcd1e9432', rawSha256: null, bytes: 28_881 },
      { md5: '9fb629c4189551a2d022fa330f9573f3', rawSha256: null, bytes: 1_648_877 },
      { md5: 'ec29112dd5afa0611ce80d1b7f02629c', rawSha256: null, bytes: 4_542 }
    ]),
    // The authors' site (plain HTTP, often unreachable), then the S3 mirror torchvision uses (HTTPS).
    urls: ['http://yann.lecun.com/exdb/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/'],
    urlEnv: 'ATELIER_MNIST_URL'
  },
  kmnist: {
    family: 'kmnist',
    title: 'Kuzushiji-MNIST',
    files: familyFiles('kmnist', [
      { md5: 'bdb82020997e1d708af4cf47b453dcf7', rawSha256: null, bytes: 18_165_135 },
      { md5: 'e144d726b3acfaa3e44228e80efcd344', rawSha256: null, bytes: 29_497 },
      { md5: '5c965bf0a639b31b8f53240b1b52f4d7', rawSha256: null, bytes: 3_041_136 },
      { md5: '7320c461ea6c1c855c0b718fb2a4b134', rawSha256: null, bytes: 5_120 }
    ]),
    // The ROIS-CODH host, as torchvision uses it: plain HTTP (the md5 check is what guards the content).
    urls: ['http://codh.rois.ac.jp/kmnist/dataset/kmnist/'],
    urlEnv: 'ATELIER_KMNIST_URL'
  }
}

/** The four files of a family. */
export function idxFiles(family: IdxFamily): readonly DatasetFile[] {
  return IDX_FAMILIES[family].files
}

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`)

/** The base URL to download from: the option, else `ATELIER_DATASET_URL`, else the authors' HTTPS URL; always ends in `/`. */
export function resolveBaseUrl(baseUrl?: string): string {
  return withSlash(baseUrl || process.env[DATASET_URL_ENV] || DEFAULT_DATASET_URL)
}

/** The base URLs to try in order: the option, else the family's environment variable, else its official host and mirrors. */
export function resolveBaseUrls(spec: Pick<IdxFamilySpec, 'urls' | 'urlEnv'>, baseUrl?: string): string[] {
  const chosen = baseUrl || process.env[spec.urlEnv]
  return chosen ? [withSlash(chosen)] : spec.urls.map(withSlash)
}

/** The files of the given parts, in the fixed order (Fashion-MNIST's unless `files` is given). */
export function filesOf(parts: readonly DatasetPart[], files: readonly DatasetFile[] = DATASET_FILES): DatasetFile[] {
  return files.filter((f) => parts.includes(f.part))
}
