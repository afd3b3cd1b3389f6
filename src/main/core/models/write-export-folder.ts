/**
 * Writes a model export (TF.js `model.json` + weights, or one ONNX file) into a folder all or nothing:
 * every file goes into a temp folder beside the destination (same file system), and only when all are
 * complete are they renamed into place. A full disk therefore never leaves a `model.json` without its
 * weights; the error names the file that could not be written and says the destination is unchanged.
 */
import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { ensureFolder } from '@main/core/ensure-folder'
import { writeFailureReason } from './write-durable'

/** One file of the export. */
export interface ExportFolderFile {
  name: string
  bytes: Uint8Array
}

/** The file-system calls used, injectable so tests can fill the disk. */
export interface ExportFolderFs {
  writeFileSync: (path: string, bytes: Uint8Array) => void
  renameSync: typeof renameSync
}

const nodeFs: ExportFolderFs = { writeFileSync, renameSync }

/**
 * Writes `files` into `dir` (created when missing; other files in it are left alone) and returns their
 * paths. Files are renamed into place in the order given, so put the one that refers to the others last.
 * On failure nothing in `dir` has changed and the temp folder is gone; the error says which file failed.
 */
export function writeExportFolder(dir: string, files: ExportFolderFile[], fs: ExportFolderFs = nodeFs): string[] {
  const target = resolve(dir)
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new Error(`${target} is a file, not a folder; nothing was written. Choose a folder for the export.`)
  }
  const parent = dirname(target)
  ensureFolder(parent)
  const tmp = join(parent, `.${basename(target)}.${process.pid}.${Date.now()}.export-tmp`)
  const fail = (what: string, error: unknown): Error =>
    new Error(
      `Could not write ${what}: ${writeFailureReason(error)}. The export was not written and ${target} was left as it was. ` +
        ((error as { code?: string }).code === 'ENOSPC'
          ? 'Free some disk space or choose another folder, then export again.'
          : 'Check the folder, then export again.'),
      { cause: error }
    )
  try {
    mkdirSync(tmp)
  } catch (error) {
    throw fail(`a temporary folder in ${parent}`, error)
  }
  try {
    for (const file of files) {
      try {
        fs.writeFileSync(join(tmp, file.name), file.bytes)
      } catch (error) {
        throw fail(`${join(target, file.name)} (${file.bytes.byteLength} bytes)`, error)
      }
    }
    if (!existsSync(target)) {
      fs.renameSync(tmp, target)
    } else {
      for (const file of files) fs.renameSync(join(tmp, file.name), join(target, file.name))
      rmdirSync(tmp)
    }
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true })
    throw error
  }
  return files.map((f) => join(target, f.name))
}
