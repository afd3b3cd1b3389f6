/**
 * A folder import at a less toy scale: a few hundred files of every format and mode, a real photo-sized
 * JPEG, and a real (compressible) PNG over the 40-megapixel limit, imported twice with the same seed.
 */
import { join } from 'node:path'
import sharp from 'sharp'
import { readdirSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { DatasetError } from '@main/core/dataset/errors'
import { importFolder } from '@main/core/dataset/folder'
import { loadImages } from '@main/core/dataset/images'
import { tempDir } from '../unit/main/core/dataset/fixtures'
import { put, writeClasses } from '../unit/main/core/dataset/folder/image-folder'
import { mountTmpfs } from '../helpers/tmpfs'

describe('folder import (integration)', () => {
  it('imports hundreds of mixed files deterministically, skips a real 8000×5100 PNG and shrinks a 12 MP JPEG', async () => {
    const folder = tempDir()
    const classes = ['α', 'β', 'γ', 'δ', 'ε']
    await writeClasses(folder, classes, { perClass: 60 })
    put(
      folder,
      'α/poster.png',
      await sharp({ create: { width: 8000, height: 5100, channels: 3, background: '#336699' } })
        .png()
        .toBuffer()
    )
    put(
      folder,
      'β/photo.jpg',
      await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#993366' } })
        .jpeg()
        .toBuffer()
    )

    const outFiles = [join(tempDir(), 'a.atds'), join(tempDir(), 'b.atds')]
    const first = await importFolder({ folder, name: 'greek', outFile: outFiles[0], size: 32, seed: 3 })
    const second = await importFolder({ folder, name: 'greek', outFile: outFiles[1], size: 32, seed: 3 })
    expect(second.contentHash).toBe(first.contentHash)
    expect(first.report.skipped).toEqual([
      { file: 'α/poster.png', reason: expect.stringMatching(/8000×5100 pixels; images up to 40 megapixels/) as string }
    ])
    expect(first.report.imported).toBe(301)
    expect(first.report.testPerClass).toEqual([12, 12, 12, 12, 12])

    const { train, test, checksum } = await loadImages({
      kind: 'cache',
      file: outFiles[1],
      ref: {
        name: 'greek',
        title: 'greek',
        source: 'folder',
        shape: first.shape,
        classNames: first.classNames,
        contentHash: first.contentHash,
        preprocessing: first.preprocessing
      }
    })
    expect(checksum).toBe(first.contentHash)
    expect(train!.count + test!.count).toBe(301)
    // Stored class by class (then by path), whatever order the decoding finished in.
    const sorted = (labels: Uint8Array) => labels.every((l, i) => i === 0 || labels[i - 1] <= l)
    expect(sorted(train!.labels) && sorted(test!.labels)).toBe(true)
  })
})

const disk = mountTmpfs('1m', 'folder import on a full disk')

describe.skipIf(!disk.mounted)('folder import on a disk that fills up', () => {
  afterAll(() => disk.remove())

  it('fails with a message that says so and leaves nothing on the disk', async () => {
    const folder = tempDir()
    await writeClasses(folder, ['a', 'b', 'c'], { perClass: 40, formats: ['png'] })
    const error = await importFolder({ folder, name: 'big', outFile: join(disk.dir, 'big.atds'), size: 64, color: 'rgb' }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(DatasetError)
    expect((error as DatasetError).message).toMatch(/cannot be written \(ENOSPC\); nothing was imported — free some disk space/)
    expect(readdirSync(disk.dir)).toEqual([])
  })
})
