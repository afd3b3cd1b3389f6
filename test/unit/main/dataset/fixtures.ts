/** Shared helpers for the dataset tests: generated IDX buffers, temp folders, and the real data folder. */
import { mkdtempSync, rmSync } from 'node:fs'
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

export { realDataDir } from '../../../helpers/real-data'
