/** Crash-safe file replacement: temp file, fsync, rename, fsync of the folder. */
import { errorMessage } from '@shared/error-text'
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** The file-system calls used, injectable so tests can make a write fail like a full disk. */
export interface DurableFs {
  openSync: typeof openSync
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number
  fsyncSync: typeof fsyncSync
  closeSync: typeof closeSync
  renameSync: typeof renameSync
  rmSync: typeof rmSync
}

export const nodeFs: DurableFs = { openSync, writeSync, fsyncSync, closeSync, renameSync, rmSync }

/** Human words for the usual write failures (full disk, quota, permissions), else the error's own message. */
export function writeFailureReason(error: unknown): string {
  const code = (error as { code?: string }).code
  if (code === 'ENOSPC') return 'the disk is full'
  if (code === 'EDQUOT') return 'the disk quota is used up'
  if (code === 'EACCES' || code === 'EPERM') return 'the folder is not writable'
  return errorMessage(error)
}

/**
 * Writes `bytes` to `path` so that a crash at any moment leaves either the old file (or none) or the
 * complete new one, never a partial file under `path`. On failure the temp file is removed and the
 * error is rethrown; whatever was at `path` before is untouched.
 */
export function writeFileDurable(path: string, bytes: Uint8Array, fs: DurableFs = nodeFs): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  let fd: number | null = null
  try {
    fd = fs.openSync(tmp, 'w')
    let written = 0
    while (written < bytes.byteLength) written += fs.writeSync(fd, bytes, written, bytes.byteLength - written)
    fs.fsyncSync(fd)
    fs.closeSync(fd)
    fd = null
    fs.renameSync(tmp, path)
  } catch (error) {
    if (fd !== null) {
      try {
        fs.closeSync(fd)
      } catch {
        // Already failing; the original error is the one to report.
      }
    }
    fs.rmSync(tmp, { force: true })
    throw error
  }
  syncFolder(dirname(path), fs)
}

/** Makes the rename itself durable; some platforms (Windows) cannot open folders, which is fine there. */
function syncFolder(dir: string, fs: DurableFs): void {
  let fd: number | null = null
  try {
    fd = fs.openSync(dir, 'r')
    fs.fsyncSync(fd)
  } catch {
    // Best effort: the data is already safe in the renamed file.
  } finally {
    if (fd !== null) fs.closeSync(fd)
  }
}
