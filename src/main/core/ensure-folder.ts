/** Creates a folder and its missing parents, one level at a time. */
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Like `mkdirSync(dir, { recursive: true })`, which on Node 24 spins forever when a parent
 * exists but refuses children with ENOENT (e.g. `/proc/x`); here every failure throws.
 */
export function ensureFolder(dir: string): void {
  const missing: string[] = []
  let current = dir
  while (!existsSync(current)) {
    missing.push(current)
    const parent = dirname(current)
    if (parent === current) break
    current = parent
  }
  if (existsSync(current) && !statSync(current).isDirectory()) {
    throw new Error(`${current} is a file, not a folder`)
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder)
    } catch (error) {
      // Another process may have created it in between; only a folder there is fine.
      if ((error as { code?: string }).code !== 'EEXIST' || !statSync(folder).isDirectory()) throw error
    }
  }
}
