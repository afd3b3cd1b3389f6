/** The Fashion-MNIST dataset module: files, parsing, loading, download, import, splitting. */
export { DatasetError, type DatasetErrorCode } from './errors'
export {
  DATASET_FILES,
  DATASET_URL_ENV,
  DEFAULT_DATASET_URL,
  IMAGE_PIXELS,
  IMAGE_SIDE,
  resolveBaseUrl,
  type DatasetFile,
  type DatasetFileKey,
  type DatasetPart
} from './files'
export { parseIdx, type IdxExpectation, type IdxFile } from './idx'
export { loadDataset, type FashionMnist, type LoadOptions, type Split } from './load'
export { datasetStatus } from './status'
export { downloadDataset, type DownloadOptions, type DownloadProgress } from './download'
export { importDataset, type ImportOptions } from './import'
export { stratifiedSplit, type SplitOptions, type StratifiedSplit } from './split'
export { createRng, shuffleInPlace } from './random'
