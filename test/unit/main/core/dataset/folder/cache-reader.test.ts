import { createHash } from 'node:crypto'
import { readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importFolder, readCacheFile, readCacheSamples } from '@main/core/dataset/folder'
import { loadImages } from '@main/core/dataset/images'
import { rejection, tempDir } from '../fixtures'
import { writeClasses } from './image-folder'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

async function imported() {
  const folder = tempDir()
  await writeClasses(folder, ['a', 'b'], { perClass: 5, formats: ['png'] })
  const outFile = join(tempDir(), 'ds.atds')
  const result = await importFolder({ folder, name: 'ds', outFile, size: 8 })
  const ref = {
    name: 'ds',
    title: 'ds',
    source: 'folder' as const,
    shape: result.shape,
    classNames: result.classNames,
    contentHash: result.contentHash,
    preprocessing: result.preprocessing
  }
  return { outFile, result, location: { kind: 'cache' as const, file: outFile, ref } }
}

describe('the dataset cache file', () => {
  it('has the documented content hash: SHA-256 of train images, train labels, test images, test labels', async () => {
    const { outFile, result, location } = await imported()
    const bytes = readFileSync(outFile)
    const headerOffset = Number(bytes.readBigUInt64LE(8))
    expect(bytes.toString('latin1', 0, 5)).toBe('ATDS1')
    expect(sha256(bytes.subarray(32, headerOffset))).toBe(result.contentHash)
    const { train, test } = await loadImages(location)
    expect(sha256(Buffer.concat([train!.images, train!.labels, test!.images, test!.labels]))).toBe(result.contentHash)
    expect(JSON.parse(bytes.subarray(headerOffset).toString('utf8'))).toMatchObject({
      format: 'atelier-dataset',
      version: 1,
      contentHash: result.contentHash
    })
  })

  it('reads one split alone, with that split’s own digest', async () => {
    const { outFile, result } = await imported()
    const test = await readCacheFile(outFile, ['test'])
    expect(test.train).toBeUndefined()
    expect(test.test!.count).toBe(result.testCount)
    expect(test.test!.images.length).toBe(result.testCount * 8 * 8 * 3)
    expect(test.checksum).not.toBe(result.contentHash)
  })

  it('gives a few training images per class for the sample grid, equal to the loaded ones', async () => {
    const { outFile, result, location } = await imported()
    const samples = await readCacheSamples(outFile, 2)
    expect(samples.classNames).toEqual(['a', 'b'])
    expect(samples.trainPerClass).toEqual(result.report.trainPerClass)
    const { train } = await loadImages(location)
    const firstOfB = train!.labels.indexOf(1)
    expect(samples.images[1]).toEqual(train!.images.slice(firstOfB * 192, (firstOfB + 2) * 192))
    expect(samples.images[0].length).toBe(2 * 192)
  })

  it('refuses a cut-off file with a clear error', async () => {
    const { outFile, location } = await imported()
    truncateSync(outFile, 500)
    const error = await rejection(loadImages(location))
    expect(error.code).toBe('corrupt')
    expect(error.message).toMatch(/cut off or damaged.*import the folder again/)
  })

  it('refuses a file whose images were changed on disk', async () => {
    const { outFile, location } = await imported()
    const bytes = readFileSync(outFile)
    bytes[40] ^= 0xff
    writeFileSync(outFile, bytes)
    const error = await rejection(loadImages(location))
    expect(error.message).toMatch(/does not match its own checksum/)
  })

  it('refuses a file that is not the dataset the run recorded', async () => {
    const { location } = await imported()
    const error = await rejection(loadImages({ ...location, ref: { ...location.ref, shape: { height: 8, width: 8, channels: 1 } } }))
    expect(error.message).toMatch(/holds 8×8×3 images of 2 classes .* not the dataset 'ds' was recorded with \(8×8×1/)
  })

  it('refuses a file that is not a cache at all', async () => {
    const { outFile, location } = await imported()
    writeFileSync(outFile, 'hello')
    expect((await rejection(loadImages(location))).message).toMatch(/not an Atelier dataset cache/)
  })
})
