/**
 * The built-in datasets' official files: status, md5-verified download and import from a folder, for
 * the MNIST family (IDX) and CIFAR-10 (binary version). The signatures are the contract the dataset
 * service is written against.
 */
import type { DatasetFileStatus, DatasetStatus } from '@shared/api'
import type { BuiltinDataset, DatasetProgress } from '@shared/dataset'
import { cifar10Status } from './cifar10'
import { downloadCifar10, importCifar10 } from './cifar10-fetch'
import { downloadIdx } from './download'
import { IDX_FAMILIES } from './files'
import { importIdx } from './import'
import { idxStatus } from './status'

/** What is on disk of a built-in. */
export interface BuiltinStatus {
  /** Every file present and plausibly whole (a quick check, no full parse). */
  ready: boolean
  files: DatasetFileStatus[]
  /** Why it cannot be used and what to do, when it cannot. */
  problem: string | null
  /** Usable, but not the official content (checksums differ). */
  warning: string | null
}

export interface BuiltinDownloadOptions {
  name: BuiltinDataset
  /** Folder the files go into (created when missing). */
  dir: string
  /** Overrides the official host or mirror (tests use a local server). */
  baseUrl?: string
  onProgress?: (progress: DatasetProgress) => void
  signal?: AbortSignal
  fetchImpl?: typeof fetch
}

export interface BuiltinImportOptions {
  name: BuiltinDataset
  /**
   * Folder holding the official files (as published, or decompressed). For CIFAR-10: the archive
   * `cifar-10-binary.tar.gz` (or a folder holding it), its extracted `cifar-10-batches-bin/` folder,
   * or a folder holding the six batch files.
   */
  from: string
  /** Folder they are copied into, each verified first. */
  to: string
  signal?: AbortSignal
}

const toBuiltin = (s: DatasetStatus): BuiltinStatus => ({ ready: s.ready, files: s.files, problem: s.problem, warning: s.warning ?? null })

/** What is on disk of `name` in `dir`. */
export function builtinStatus(name: BuiltinDataset, dir: string): BuiltinStatus {
  return toBuiltin(name === 'cifar10' ? cifar10Status(dir) : idxStatus(dir, IDX_FAMILIES[name]))
}

/**
 * Downloads the missing or damaged official files of `name` into `dir` (official host first, then the
 * documented mirror when there is one, or only `baseUrl` / the dataset's `ATELIER_*_URL` variable);
 * throws a `DatasetError`.
 */
export async function downloadBuiltin(options: BuiltinDownloadOptions): Promise<void> {
  const { name, dir, baseUrl, onProgress, signal, fetchImpl } = options
  if (name === 'cifar10') await downloadCifar10({ dir, baseUrl, onProgress, signal, fetchImpl })
  else await downloadIdx({ family: name, dir, baseUrl, onProgress, signal, fetchImpl })
}

/** Copies `name`'s official files from a folder after verifying all of them; throws a `DatasetError`, leaving `to` as it was. */
export async function importBuiltin(options: BuiltinImportOptions): Promise<void> {
  const { name, from, to, signal } = options
  if (name === 'cifar10') await importCifar10({ from, to, signal })
  else await importIdx({ family: name, from, to })
}
