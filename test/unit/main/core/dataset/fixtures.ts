/** Shared helpers for the dataset tests: generated IDX buffers, temp folders, and the real data folder. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { afterEach, expect } from 'vitest'
import { DatasetError } from '@main/core/dataset/errors'

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

export { realDataDir } from '../../../../helpers/real-data'

/** The md5 hex digest of some bytes. */
export const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex')

/** Awaits a promise that must reject with a DatasetError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<DatasetError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(DatasetError)
  return error as DatasetError
}
