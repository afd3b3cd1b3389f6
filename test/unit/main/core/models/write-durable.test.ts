/** Durable writes and the trainer's model-file saving when the disk fills mid-write. */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nodeFs, writeFileDurable, type DurableFs } from '@main/core/models/write-durable'
import { saveModelFile } from '@main/core/trainer/save-model-file'

/** File-system calls whose writes fail with ENOSPC once `capacity` bytes were written, like a full disk. */
function fullDiskAfter(capacity: number): DurableFs {
  let used = 0
  return {
    ...nodeFs,
    writeSync: (fd, buffer, offset, length) => {
      if (used >= capacity) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
      const n = Math.min(length, capacity - used)
      used += n
      return writeSync(fd, buffer, offset, n)
    }
  }
}

describe('durable model-file writes', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'atelier-write-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('replaces a file completely and leaves no temp file', () => {
    const path = join(dir, 'a.atm')
    writeFileSync(path, 'old')
    writeFileDurable(path, new Uint8Array(100_000).fill(7))
    expect(readFileSync(path)).toHaveLength(100_000)
    expect(readdirSync(dir)).toEqual(['a.atm'])
  })

  it('a disk that fills mid-write leaves the previous file intact and removes the partial one', () => {
    const path = join(dir, 'a.atm')
    writeFileSync(path, 'previous checkpoint')
    expect(() => writeFileDurable(path, new Uint8Array(50_000), fullDiskAfter(10_000))).toThrow(/ENOSPC/)
    expect(readFileSync(path, 'utf8')).toBe('previous checkpoint')
    expect(readdirSync(dir)).toEqual(['a.atm'])
  })

  it('the trainer says what failed, what was kept and what to do; the previous checkpoint stays', () => {
    const before = saveModelFile({ dir, kind: 'checkpoint', epoch: 2, bytes: new Uint8Array(1000).fill(2) })
    expect(before).toMatchObject({
      file: 'checkpoint-0002.atm',
      epoch: 2,
      bytes: 1000,
      format: 'atelier-model/2',
      sha256: createHash('sha256').update(new Uint8Array(1000).fill(2)).digest('hex')
    })
    expect(() => saveModelFile({ dir, kind: 'checkpoint', epoch: 3, bytes: new Uint8Array(5000), fs: fullDiskAfter(100) })).toThrow(
      /^Could not save the checkpoint of epoch 3 in .*: the disk is full\. Epoch 3 was not recorded; the run keeps its first 2 epochs and the checkpoint of epoch 2\. Free some disk space, then resume the run\.$/
    )
    expect(readdirSync(dir)).toEqual(['checkpoint-0002.atm'])
    expect(readFileSync(join(dir, 'checkpoint-0002.atm'))).toEqual(Buffer.alloc(1000, 2))
    expect(existsSync(join(dir, 'checkpoint-0003.atm'))).toBe(false)
  })
})
