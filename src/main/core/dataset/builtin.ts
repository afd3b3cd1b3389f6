/**
 * The built-in datasets' official files: status, md5-verified download and import from a folder, for
 * the MNIST family (IDX) and CIFAR-10 (binary version). The signatures are the contract the dataset
 * service is written against.
 */
import type { DatasetFileStatus } from '@shared/api'
import type { BuiltinDataset, DatasetProgress } from '@shared/dataset'
import { DatasetError } from './errors'
import { datasetStatus, downloadDataset, importDataset } from './index'

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
  /** Folder holding the official files (as published, or decompressed). */
  from: string
  /** Folder they are copied into, each verified first. */
  to: string
  signal?: AbortSignal
}

const notYet = (name: string): never => {
  throw new DatasetError(name, 'is not supported yet', { code: 'missing' })
}

/** What is on disk of `name` in `dir`. */
export function builtinStatus(name: BuiltinDataset, dir: string): BuiltinStatus {
  if (name !== 'fashion-mnist') return notYet(name)
  const s = datasetStatus(dir)
  return { ready: s.ready, files: s.files, problem: s.problem, warning: s.warning ?? null }
}

/** Downloads the missing or damaged official files of `name` into `dir`; throws a {@link DatasetError}. */
export async function downloadBuiltin(options: BuiltinDownloadOptions): Promise<void> {
  if (options.name !== 'fashion-mnist') return notYet(options.name)
  await downloadDataset({ dir: options.dir, baseUrl: options.baseUrl, signal: options.signal, fetchImpl: options.fetchImpl })
}

/** Copies `name`'s official files from a folder after verifying all of them; throws a {@link DatasetError}, leaving `to` as it was. */
export async function importBuiltin(options: BuiltinImportOptions): Promise<void> {
  if (options.name !== 'fashion-mnist') return notYet(options.name)
  await importDataset({ from: options.from, to: options.to })
}
