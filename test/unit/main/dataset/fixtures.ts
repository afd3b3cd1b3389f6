/** Shared helpers for the dataset tests: generated IDX buffers, temp folders, and the real data folder. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

/** An IDX file: big-endian magic and dims, then `data` (zero bytes of the right length when absent). */
export function idxBytes(options: { magic: number; dims: number[]; data?: Uint8Array }): Uint8Array {
  const header = 4 + 4 * options.dims.length
  const size = options.dims.reduce((a, b) => a * b, 1)
  const data = options.data ?? new Uint8Array(size)
  const out = new Uint8Array(header + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, options.magic, false)
  options.dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false))
  out.set(data, header)
  return out
}

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temp folder, removed after the current test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-dataset-'))
  made.push(dir)
  return dir
}

const DEFAULT_REAL_DIR = '/work/shared/data/fashion-mnist'

/**
 * The folder with the four real files: ATELIER_DATA_DIR, else the shared default. Null (with a
 * visible reason) when it is missing outside CI; in CI (`CI=true`) a missing folder throws.
 */
export function realDataDir(): { dir: string | null; reason: string } {
  const dir = process.env.ATELIER_DATA_DIR || DEFAULT_REAL_DIR
  if (existsSync(join(dir, 'train-images-idx3-ubyte.gz')) || existsSync(join(dir, 'train-images-idx3-ubyte'))) {
    return { dir, reason: '' }
  }
  const reason = `real Fashion-MNIST folder not found at ${dir} (set ATELIER_DATA_DIR)`
  if (process.env.CI === 'true') throw new Error(`${reason} — CI must run the real-data tests`)
  console.warn(`SKIPPED real-data tests: ${reason}`)
  return { dir: null, reason: ` — SKIPPED: ${reason}` }
}
