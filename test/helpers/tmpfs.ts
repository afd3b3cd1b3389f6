/**
 * A real small disk for disk-full tests: a tmpfs mounted on a temp folder. Mounting needs root on
 * Linux; elsewhere `mounted` is false and the caller skips with the reason it prints.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Tmpfs {
  /** The mount point (a plain temp folder when mounting failed). */
  dir: string
  mounted: boolean
  /** Changes the size, e.g. `'16m'`; true when it worked. */
  resize(size: string): boolean
  /** Unmounts and removes the folder. */
  remove(): void
}

/** Mounts a tmpfs of `size` (e.g. `'2m'`, `'64k'`); `what` names the test in the skip warning. */
export function mountTmpfs(size: string, what: string): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-tmpfs-'))
  const mounted = process.platform === 'linux' && spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0
  if (!mounted) console.warn(`SKIPPED ${what}: cannot mount a tmpfs here (needs root on Linux)`)
  return {
    dir,
    mounted,
    resize: (to) => spawnSync('mount', ['-o', `remount,size=${to}`, dir]).status === 0,
    remove() {
      if (mounted) spawnSync('umount', [dir])
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
