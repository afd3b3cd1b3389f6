/** The built-in datasets' files (the IDX family and CIFAR-10): parsing, loading, download, import, splitting. */
export { DatasetError, type DatasetErrorCode } from './errors'
export {
  DATASET_FILES,
  DATASET_URL_ENV,
  DEFAULT_DATASET_URL,
  IDX_FAMILIES,
  idxFiles,
  resolveBaseUrl,
  resolveBaseUrls,
  type IdxFamily,
  type IdxFamilySpec,
  type DatasetFile,
  type DatasetFileKey,
  type DatasetPart
} from './files'
export { parseIdx, type IdxExpectation, type IdxFile } from './idx'
export { loadDataset, type FashionMnist, type LoadOptions, type Split } from './load'
export { datasetStatus, idxStatus } from './status'
export { downloadDataset, downloadIdx, type DownloadOptions, type DownloadProgress, type IdxDownloadOptions } from './download'
export { importDataset, importIdx, type IdxImportOptions, type ImportOptions } from './import'
export { CIFAR10, cifar10Status, loadCifar10, type Cifar10Loaded, type Cifar10Spec, type CifarSplit } from './cifar10'
export { stratifiedSplit, type SplitOptions, type StratifiedSplit } from './split'
export { createRng, shuffleInPlace } from './random'
