/** Finds one dataset file in a folder, gzipped or raw. */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { DatasetFile } from './files'

/** A dataset file found on disk. */
export interface LocatedFile {
  path: string
  /** The name found: the `.gz` name or the raw name. */
  name: string
  gzip: boolean
  size: number
}

function fileAt(path: string): { size: number } | null {
  try {
    const s = statSync(path)
    return s.isFile() ? { size: s.size } : null
  } catch {
    return null
  }
}

/** The file as found in `dir`, preferring the published `.gz` over the raw one; null when neither exists. */
export function locateFile(dir: string, file: DatasetFile): LocatedFile | null {
  for (const [name, gzip] of [
    [file.name, true],
    [file.rawName, false]
  ] as const) {
    const path = join(dir, name)
    const found = fileAt(path)
    if (found) return { path, name, gzip, size: found.size }
  }
  return null
}
