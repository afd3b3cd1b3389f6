import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtinRef, type BuiltinDataset } from '@shared/dataset'
import type { DatasetLocation } from '@shared/trainer-protocol'
import { builtinStatus, downloadBuiltin, importBuiltin } from '@main/core/dataset/builtin'
import { loadImages } from '@main/core/dataset/images'
import { idxBytes, realDataDir, rejection, tempDir } from './fixtures'
import { serve } from './serve'

const OFFICIAL_FASHION = '6e1b8248a371b684a8915a1bed4b38233fddf371eb4aedfbefbeecd3adf25313'
const ref = (name: BuiltinDataset) => builtinRef(name)!

describe('builtinStatus', () => {
  it('says what is missing for each built-in and what to do', () => {
    const dir = join(tempDir(), 'nothing')
    for (const name of ['fashion-mnist', 'mnist', 'kmnist'] as const) {
      const s = builtinStatus(name, dir)
      expect(s).toMatchObject({ ready: false, warning: null })
      expect(s.files.map((f) => f.name)).toEqual([
        'train-images-idx3-ubyte.gz',
        'train-labels-idx1-ubyte.gz',
        't10k-images-idx3-ubyte.gz',
        't10k-labels-idx1-ubyte.gz'
      ])
      expect(s.problem).toMatch(/does not exist yet — download the dataset or import the four files from a folder\.$/)
    }
    const c = builtinStatus('cifar10', dir)
    expect(c.files.map((f) => f.name)).toEqual([1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin'))
    expect(c.problem).toMatch(
      /download the dataset or import cifar-10-binary\.tar\.gz \(or its cifar-10-batches-bin folder\) from a folder\.$/
    )
  })
})

describe('downloadBuiltin and importBuiltin', () => {
  it('asks the MNIST hosts for the MNIST files (official md5s checked), through the override', async () => {
    const server = await serve({})
    const e = await rejection(downloadBuiltin({ name: 'mnist', dir: tempDir(), baseUrl: server.baseUrl }))
    expect(server.requests).toEqual(['train-images-idx3-ubyte.gz'])
    expect(e.message).toMatch(/^train-images-idx3-ubyte\.gz: download from .* failed \(HTTP 404 Not Found\)/)
  })

  it('refuses to import Fashion-MNIST files as KMNIST (the published md5s differ)', async () => {
    const real = realDataDir()
    if (!real.dir) return
    const to = join(tempDir(), 'kmnist')
    const e = await rejection(importBuiltin({ name: 'kmnist', from: real.dir, to }))
    expect(e.message).toMatch(
      /^train-images-idx3-ubyte\.gz: is not the published file \(md5 8d4fb7e6c68d591d4c3dfef9ec88bf0d, expected bdb82020997e1d708af4cf47b453dcf7\)/
    )
    expect(builtinStatus('kmnist', to).ready).toBe(false)
  })

  it('finds no CIFAR-10 files in an empty folder and says where it looked', async () => {
    const from = tempDir()
    const e = await rejection(importBuiltin({ name: 'cifar10', from, to: join(tempDir(), 'c') }))
    expect(e.message).toMatch(
      /^cifar-10-binary\.tar\.gz: not found in .* \(neither the archive, a cifar-10-batches-bin folder, nor the batch files/
    )
  })
})

describe('loadImages', () => {
  const real = realDataDir()

  it.skipIf(!real.dir)(`loads the real Fashion-MNIST with the checksum runs recorded before${real.reason}`, async () => {
    const location: DatasetLocation = { kind: 'idx', family: 'fashion-mnist', dir: real.dir!, ref: ref('fashion-mnist') }
    const loaded = await loadImages(location)
    expect(loaded.checksum).toBe(OFFICIAL_FASHION)
    expect(loaded.shape).toEqual({ height: 28, width: 28, channels: 1 })
    expect(loaded.train?.count).toBe(60_000)
  })

  it('loads an MNIST test split by the MNIST counts and names MNIST when they differ', async () => {
    const dir = tempDir()
    const labels = Uint8Array.from({ length: 10_000 }, (_, i) => i % 10)
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxBytes({ magic: 2051, dims: [10_000, 28, 28] }))
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes({ magic: 2049, dims: [10_000], data: labels }))
    const location: DatasetLocation = { kind: 'idx', family: 'mnist', dir, ref: ref('mnist') }
    const loaded = await loadImages(location, { parts: ['test'] })
    expect(loaded.test?.count).toBe(10_000)
    expect(loaded.classCount).toBe(10)

    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxBytes({ magic: 2051, dims: [9_999, 28, 28] }))
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes({ magic: 2049, dims: [9_999], data: labels.subarray(0, 9_999) }))
    const e = await rejection(loadImages(location, { parts: ['test'] }))
    expect(e.message).toMatch(/^t10k-images-idx3-ubyte: header says 9999 images but MNIST has 10000 in this file/)
  })

  it('loads a CIFAR-10 test batch as 32×32×3 HWC images', async () => {
    const dir = join(tempDir(), 'cifar10')
    mkdirSync(dir)
    const records = new Uint8Array(10_000 * 3073)
    for (let r = 0; r < 10_000; r++) {
      records[r * 3073] = r % 10
      records[r * 3073 + 1] = 200 // red of the first pixel
      records[r * 3073 + 1 + 2048] = 50 // its blue
    }
    writeFileSync(join(dir, 'test_batch.bin'), records)
    const loaded = await loadImages({ kind: 'cifar10', dir, ref: ref('cifar10') }, { parts: ['test'] })
    expect(loaded.shape).toEqual({ height: 32, width: 32, channels: 3 })
    expect(loaded.test?.images.length).toBe(10_000 * 3072)
    expect(Array.from(loaded.test!.images.subarray(3072 * 7, 3072 * 7 + 3))).toEqual([200, 0, 50])
    expect(loaded.test?.labels[7]).toBe(7)
    const e = await rejection(loadImages({ kind: 'cifar10', dir, ref: ref('cifar10') }))
    expect(e.message).toMatch(/^data_batch_1\.bin: not found in .* — download the dataset again or import it from a folder$/)
  })
})
