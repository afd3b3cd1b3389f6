import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { loadDataset } from '@main/core/dataset/load'
import { idxBytes, realDataDir, tempDir, rejection } from './fixtures'

/** Writes a made-up but well-formed 10,000-image test split into `dir`. */
function writeTestSplit(dir: string, options: { gzip: boolean; badLabel?: boolean }): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(10_000 * 784)
  for (let i = 0; i < images.length; i++) images[i] = (i * 31) % 256
  const labels = new Uint8Array(10_000)
  for (let i = 0; i < labels.length; i++) labels[i] = i % 10
  if (options.badLabel) labels[1234] = 12
  const write = (name: string, bytes: Uint8Array): void =>
    writeFileSync(join(dir, options.gzip ? `${name}.gz` : name), options.gzip ? gzipSync(bytes) : bytes)
  write('t10k-images-idx3-ubyte', idxBytes({ magic: 2051, dims: [10_000, 28, 28], data: images }))
  write('t10k-labels-idx1-ubyte', idxBytes({ magic: 2049, dims: [10_000], data: labels }))
  return { images, labels }
}

describe('loadDataset on generated files', () => {
  it('loads only the parts asked for, as bytes', async () => {
    const dir = tempDir()
    const written = writeTestSplit(dir, { gzip: false })
    const data = await loadDataset(dir, { parts: ['test'] })
    expect(data.train).toBeUndefined()
    expect(data.test?.count).toBe(10_000)
    expect(data.test?.images).toBeInstanceOf(Uint8Array)
    expect(Array.from(data.test?.images.subarray(0, 2000) ?? [])).toEqual(Array.from(written.images.subarray(0, 2000)))
    expect(Array.from(data.test?.labels ?? [])).toEqual(Array.from(written.labels))
  })

  it('gives the same checksum for gzipped and raw files of the same content', async () => {
    const rawDir = tempDir()
    const gzDir = tempDir()
    writeTestSplit(rawDir, { gzip: false })
    writeTestSplit(gzDir, { gzip: true })
    const raw = await loadDataset(rawDir, { parts: ['test'] })
    const gz = await loadDataset(gzDir, { parts: ['test'] })
    expect(raw.checksum).toMatch(/^[0-9a-f]{64}$/)
    expect(gz.checksum).toBe(raw.checksum)
  })

  it('names the missing file and says what to do', async () => {
    const e = await rejection(loadDataset(tempDir()))
    expect(e.code).toBe('missing')
    expect(e.message).toMatch(/^train-images-idx3-ubyte\.gz: not found in .* — download the dataset or import it from a folder$/)
  })

  it('names a cut-off gzip file', async () => {
    const dir = tempDir()
    writeTestSplit(dir, { gzip: true })
    const gz = gzipSync(idxBytes({ magic: 2049, dims: [10_000], data: new Uint8Array(10_000) }))
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gz.subarray(0, gz.length - 10))
    const e = await rejection(loadDataset(dir, { parts: ['test'] }))
    expect(e.message).toMatch(/^t10k-labels-idx1-ubyte\.gz: not a readable gzip file/)
  })

  it('rejects a label that is not a class id', async () => {
    const dir = tempDir()
    writeTestSplit(dir, { gzip: false, badLabel: true })
    const e = await rejection(loadDataset(dir, { parts: ['test'] }))
    expect(e.message).toMatch(/^t10k-labels-idx1-ubyte: label 12 at index 1234 is not a class id 0–9/)
  })
})

const real = realDataDir()

describe.skipIf(!real.dir)(`loadDataset on the real files${real.reason}`, () => {
  const dir = real.dir ?? ''

  it('has 60,000/10,000 images, 6,000/1,000 per class, and the published pixel statistics', async () => {
    const started = performance.now()
    const data = await loadDataset(dir)
    const ms = performance.now() - started
    console.info(`loadDataset(${dir}) took ${ms.toFixed(0)} ms`)
    const { train, test } = data
    if (!train || !test) throw new Error('both parts should be loaded')
    expect(train.count).toBe(60_000)
    expect(test.count).toBe(10_000)
    expect(train.images.length).toBe(60_000 * 784)
    expect(test.images.length).toBe(10_000 * 784)
    const classCounts = (labels: Uint8Array): number[] => {
      const counts = new Array<number>(10).fill(0)
      for (const l of labels) counts[l]++
      return counts
    }
    expect(classCounts(train.labels)).toEqual(new Array(10).fill(6000))
    expect(classCounts(test.labels)).toEqual(new Array(10).fill(1000))
    let sum = 0
    let sumSq = 0
    for (const p of train.images) {
      sum += p
      sumSq += p * p
    }
    const mean = sum / train.images.length
    const std = Math.sqrt(sumSq / train.images.length - mean * mean)
    expect(mean.toFixed(2)).toBe('72.94')
    expect(std.toFixed(2)).toBe('90.02')
  })

  it('identifies the content with a stable checksum, per set of parts', async () => {
    const a = await loadDataset(dir)
    const b = await loadDataset(dir, { parts: ['test', 'train'] })
    const testOnly = await loadDataset(dir, { parts: ['test'] })
    expect(b.checksum).toBe(a.checksum)
    expect(testOnly.checksum).not.toBe(a.checksum)
    // Recorded on every run: a change here makes old and new runs look like different data.
    expect(a.checksum).toBe('6e1b8248a371b684a8915a1bed4b38233fddf371eb4aedfbefbeecd3adf25313')
  })
})
