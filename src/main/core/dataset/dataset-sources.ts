/**
 * The functions the dataset service reads and writes datasets through: the built-ins' official files,
 * the image-folder import and the one loader. One seam, so tests can put fakes in their place.
 */
import { builtinStatus, downloadBuiltin, importBuiltin } from './builtin'
import { importFolder } from './folder'
import { loadImages } from './images'

export interface DatasetSources {
  builtinStatus: typeof builtinStatus
  downloadBuiltin: typeof downloadBuiltin
  importBuiltin: typeof importBuiltin
  importFolder: typeof importFolder
  loadImages: typeof loadImages
}

export const DEFAULT_SOURCES: DatasetSources = { builtinStatus, downloadBuiltin, importBuiltin, importFolder, loadImages }
