import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { ensureFolder } from '@main/core/ensure-folder'
import { dirname } from 'node:path'

/** Writes through a temporary file and renames it into place, so a failed write never leaves half a file. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  ensureFolder(dirname(path))
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
  try {
    writeFileSync(tmp, content)
    renameSync(tmp, path)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
}
