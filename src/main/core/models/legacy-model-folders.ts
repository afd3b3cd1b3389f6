/**
 * Before schema v5 every database kept its model files in `models/run-<id>/`, so two databases in one
 * folder shared, overwrote and deleted each other's files. Each store now has its own folder,
 * `models/<store-id>/run-<id>/`; on its first start it adopts the legacy files that are its own.
 *
 * A legacy file is this store's when one of its `model_files` rows without a recorded SHA-256 names it
 * (same run id and file name), the file is intact and of the row's kind, epoch and size, and either it
 * was written when the row was recorded (modification time within {@link ADOPT_WINDOW_MS} of the row's
 * `created_at`) or no other database lives beside this one. Adopted files are moved (rename) and their
 * SHA-256 recorded. Every other file stays where it is, for the store it belongs to; a legacy folder is
 * removed only once it is empty. Nothing here deletes a file.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmdirSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import type { ModelFileRecord, RunStore } from '@main/core/store'
import { ensureFolder } from '@main/core/ensure-folder'
import { checkModelFileOwner, decodeModelFile, sha256Hex } from './model-file'
import { runFolderName } from './model-file-names'

/** How far a file's modification time may be from its row's `created_at` (write, fsync, post, record). */
export const ADOPT_WINDOW_MS = 2 * 60_000

const LEGACY_FOLDER = /^run-(\d+)$/
const SQLITE_MAGIC = 'SQLite format 3\0'

export interface AdoptLegacyOptions {
  store: RunStore
  /** The models folder shared by every database beside it (`models/`). */
  root: string
  /** This store's own folder inside it (`models/<store-id>/`). */
  storeDir: string
}

/** What an adoption did. */
export interface AdoptedFiles {
  /** Files moved from a legacy folder into this store's folder. */
  moved: number
  /** Of those, files in the `atelier-model/1` format (header not covered by their own checksum). */
  legacyFormat: number
}

/** Whether a folder holds an SQLite database other than `self`. */
function otherDatabaseBeside(self: string): boolean {
  const dir = dirname(self)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return true
  }
  for (const name of names) {
    const path = join(dir, name)
    if (path === self) continue
    let fd: number | null = null
    try {
      if (!statSync(path).isFile()) continue
      fd = openSync(path, 'r')
      const head = Buffer.alloc(16)
      if (readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === SQLITE_MAGIC) return true
    } catch {
      // Unreadable entries cannot be this store's concern.
    } finally {
      if (fd !== null) closeSync(fd)
    }
  }
  return false
}

/** The file's SHA-256 when it is the intact file `row` describes, else null. */
function matchingHash(path: string, row: ModelFileRecord, storeId: string): { sha256: string; legacy: boolean; mtimeMs: number } | null {
  try {
    const stat = statSync(path)
    if (!stat.isFile() || stat.size !== row.bytes) return null
    const bytes = readFileSync(path)
    const file = decodeModelFile(bytes)
    if (file.header.kind !== row.kind || file.header.epoch !== row.epoch) return null
    checkModelFileOwner(file, { runId: row.runId, storeId })
    return { sha256: sha256Hex(bytes), legacy: file.legacy, mtimeMs: stat.mtimeMs }
  } catch {
    return null
  }
}

/**
 * Records the hash of this store's unhashed files already in its folder (a crash between move and
 * record), then adopts its legacy files. Never throws for a file; returns what it moved.
 */
export async function adoptLegacyModelFiles({ store, root, storeDir }: AdoptLegacyOptions): Promise<AdoptedFiles> {
  const done: AdoptedFiles = { moved: 0, legacyFormat: 0 }
  const unhashed = (await store.modelFiles.all()).filter((r) => r.sha256 === null)
  if (unhashed.length === 0) return done
  const storeId = await store.modelFiles.storeId()
  // Only a SQLite file has databases beside it; an in-memory or server store never does.
  const dbPath = store.engine !== 'sqlite' || store.location === ':memory:' ? null : resolve(store.location)
  let alone: boolean | null = null
  const isAlone = (): boolean => (alone ??= dbPath !== null && !otherDatabaseBeside(dbPath))

  const legacyDirs = new Set(existsSync(root) ? readdirSync(root).filter((n) => LEGACY_FOLDER.test(n)) : [])
  for (const row of unhashed) {
    const folder = runFolderName(row.runId)
    const target = join(storeDir, folder, row.file)
    const inPlace = matchingHash(target, row, storeId)
    if (inPlace) {
      await store.modelFiles.setSha256(row.runId, row.kind, inPlace.sha256)
      continue
    }
    if (!legacyDirs.has(folder)) continue
    const source = join(root, folder, row.file)
    const found = matchingHash(source, row, storeId)
    if (!found) continue
    const writtenThen = Math.abs(found.mtimeMs - Date.parse(row.createdAt)) <= ADOPT_WINDOW_MS
    if (!writtenThen && !isAlone()) continue
    try {
      ensureFolder(dirname(target))
      renameSync(source, target)
    } catch {
      // Another process of this store moved it first, or the folder is not writable: left where it is.
      continue
    }
    await store.modelFiles.setSha256(row.runId, row.kind, found.sha256)
    done.moved++
    if (found.legacy) done.legacyFormat++
  }
  for (const folder of legacyDirs) {
    try {
      rmdirSync(join(root, folder))
    } catch {
      // Not empty: the rest belongs to another database in this folder (or to nobody we can tell).
    }
  }
  return done
}

/** Where an older Atelier kept a run's file, when that file is still there (for error messages). */
export function legacyCopyOf(root: string, runId: number, file: string): string | null {
  const path = join(root, runFolderName(runId), basename(file))
  return existsSync(path) ? path : null
}
