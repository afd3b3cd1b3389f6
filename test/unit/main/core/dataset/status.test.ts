import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { DATASET_FILES } from '@main/core/dataset/files'
import { datasetStatus } from '@main/core/dataset/status'
import { idxBytes, realDataDir, tempDir } from './fixtures'

/** Writes all four files with the right headers and sizes (blank images), raw or gzipped. */
function writeBlankDataset(dir: string, gzip: boolean): void {
  for (const f of DATASET_FILES) {
    const bytes = idxBytes({ magic: f.magic, dims: f.kind === 'images' ? [f.count, 28, 28] : [f.count] })
    writeFileSync(join(dir, gzip ? f.name : f.rawName), gzip ? gzipSync(bytes, { level: 1 }) : bytes)
  }
}

describe('datasetStatus', () => {
  it('reports a folder that does not exist', () => {
    const s = datasetStatus('/nonexistent/atelier-data')
    expect(s.ready).toBe(false)
    expect(s.files.every((f) => !f.present)).toBe(true)
    expect(s.problem).toMatch(/does not exist yet — download the dataset or import/)
  })

  it('lists the missing files of an empty folder', () => {
    const dir = tempDir()
    const s = datasetStatus(dir)
    expect(s).toMatchObject({ ready: false, dir })
    expect(s.files.map((f) => f.name)).toEqual(DATASET_FILES.map((f) => f.name))
    expect(s.problem).toContain(
      'train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz'
    )
  })

  it('accepts raw files and names them as found', () => {
    const dir = tempDir()
    writeBlankDataset(dir, false)
    const s = datasetStatus(dir)
    expect(s.problem).toBeNull()
    expect(s.ready).toBe(true)
    expect(s.files.map((f) => f.name)).toEqual(DATASET_FILES.map((f) => f.rawName))
  })

  it('spots a raw file of the wrong size and a cut-off gzip file without parsing them', () => {
    const dir = tempDir()
    writeBlankDataset(dir, true)
    expect(datasetStatus(dir).ready).toBe(true)
    const labels = readFileSync(join(dir, 'train-labels-idx1-ubyte.gz'))
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), labels.subarray(0, labels.length - 3))
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), new Uint8Array(100))
    const s = datasetStatus(dir)
    expect(s.ready).toBe(false)
    // The .gz wins over the raw file when both exist, so only the labels are reported.
    expect(s.problem).toMatch(/^train-labels-idx1-ubyte\.gz is truncated or not the Fashion-MNIST file — download/)
  })

  it('reports a raw file of the wrong size', () => {
    const dir = tempDir()
    writeBlankDataset(dir, false)
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), new Uint8Array(100))
    expect(datasetStatus(dir).problem).toMatch(/^t10k-labels-idx1-ubyte holds 100 bytes, expected 10,008/)
  })

  const real = realDataDir()
  it.skipIf(!real.dir)(`finds the real folder ready${real.reason}`, () => {
    const s = datasetStatus(real.dir ?? '')
    expect(s).toMatchObject({ ready: true, problem: null, warning: null })
    expect(s.files.every((f) => f.present)).toBe(true)
  })

  it.skipIf(!real.dir)(`warns when usable files are not the official ones (shuffled labels), not when only re-packed${real.reason}`, () => {
    const dir = tempDir()
    for (const f of DATASET_FILES) copyFileSync(join(real.dir ?? '', f.name), join(dir, f.name))
    // The official test images, unpacked and gzipped again with other settings: the same content.
    const testImages = gunzipSync(readFileSync(join(dir, 't10k-images-idx3-ubyte.gz')))
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(testImages, { level: 1 }))
    expect(datasetStatus(dir)).toMatchObject({ ready: true, warning: null })
    // The training labels unpacked and shuffled: a valid file with the right size and header.
    const labels = gunzipSync(readFileSync(join(dir, 'train-labels-idx1-ubyte.gz')))
    const body = labels.subarray(8)
    for (let i = body.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1)
      ;[body[i], body[j]] = [body[j]!, body[i]!]
    }
    rmSync(join(dir, 'train-labels-idx1-ubyte.gz'))
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels)
    const s = datasetStatus(dir)
    expect(s).toMatchObject({ ready: true, problem: null })
    expect(s.warning).toMatch(
      /^train-labels-idx1-ubyte differs from the official Fashion-MNIST file .*cannot be compared .*Download the dataset again/
    )
  })

  it.skipIf(!real.dir)(`spots a copy of a real file cut short${real.reason}`, () => {
    const dir = tempDir()
    for (const f of DATASET_FILES) copyFileSync(join(real.dir ?? '', f.name), join(dir, f.name))
    const bytes = readFileSync(join(dir, 'train-images-idx3-ubyte.gz'))
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), bytes.subarray(0, 1_000_000))
    expect(datasetStatus(dir).problem).toMatch(/^train-images-idx3-ubyte\.gz is truncated/)
  })
})
