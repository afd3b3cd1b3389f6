import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { DatasetError } from '@main/core/dataset/errors'
import { parseIdx } from '@main/core/dataset/idx'
import { BUILTINS } from '@shared/dataset'
import { idxBytes } from './fixtures'

const pixels = (count: number): Uint8Array => Uint8Array.from({ length: count * 784 }, (_, i) => (i * 7) % 256)

function errorOf(fn: () => unknown): DatasetError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError)
    return error as DatasetError
  }
  throw new Error('expected a DatasetError')
}

describe('parseIdx', () => {
  it('reads raw images: dims and every byte', () => {
    const data = pixels(3)
    const r = parseIdx(idxBytes({ magic: 2051, dims: [3, 28, 28], data }), 'x', { magic: 2051, count: 3 })
    expect(r.dims).toEqual([3, 28, 28])
    expect(Array.from(r.data)).toEqual(Array.from(data))
  })

  it('reads gzipped labels the same as raw ones', () => {
    const raw = idxBytes({ magic: 2049, dims: [5], data: Uint8Array.of(9, 0, 3, 3, 7) })
    const fromGz = parseIdx(gzipSync(raw), 'l.gz', { magic: 2049 })
    const fromRaw = parseIdx(raw, 'l', { magic: 2049 })
    expect(fromGz.dims).toEqual([5])
    expect(Array.from(fromGz.data)).toEqual([9, 0, 3, 3, 7])
    expect(Array.from(fromRaw.data)).toEqual(Array.from(fromGz.data))
  })

  it('reports a truncated file with the declared and actual sizes', () => {
    const full = idxBytes({ magic: 2051, dims: [60000, 28, 28], data: new Uint8Array(1_000_000) })
    const e = errorOf(() => parseIdx(gzipSync(full), 'train-images-idx3-ubyte.gz', { magic: 2051, count: 60000 }))
    expect(e.code).toBe('corrupt')
    expect(e.file).toBe('train-images-idx3-ubyte.gz')
    expect(e.message).toMatch(
      /^train-images-idx3-ubyte\.gz: truncated — header says 60000 images \(47,040,016 bytes\) but the file holds 1,000,016 bytes — /
    )
  })

  it('rejects extra bytes after the data', () => {
    const bytes = idxBytes({ magic: 2049, dims: [4], data: new Uint8Array(6) })
    expect(errorOf(() => parseIdx(bytes, 'l', { magic: 2049 })).message).toMatch(
      /^l: too long — header says 4 labels \(12 bytes\) but the file holds 14 bytes/
    )
  })

  it('rejects a labels file where images are expected, naming what it looks like', () => {
    const bytes = idxBytes({ magic: 2049, dims: [4] })
    expect(errorOf(() => parseIdx(bytes, 'imgs', { magic: 2051 })).message).toMatch(
      /^imgs: wrong magic number 2049 \(expected 2051 for images; this looks like a labels file\)/
    )
    expect(errorOf(() => parseIdx(new TextEncoder().encode('hello, world!!!!!'), 'txt', { magic: 2049 })).message).toMatch(
      /wrong magic number .* not a Fashion-MNIST IDX file/
    )
  })

  it('rejects images of another size than the dataset record says', () => {
    const bytes = idxBytes({ magic: 2051, dims: [2, 27, 28] })
    const shape = BUILTINS['fashion-mnist'].shape
    expect(errorOf(() => parseIdx(bytes, 'i', { magic: 2051, shape })).message).toMatch(/^i: wrong image size 27×28 \(expected 28×28\)/)
    expect(errorOf(() => parseIdx(bytes, 'i', { magic: 2051, shape: { height: 27, width: 27, channels: 1 } })).message).toMatch(
      /^i: wrong image size 27×28 \(expected 27×27\)/
    )
    expect(parseIdx(bytes, 'i', { magic: 2051, shape: { height: 27, width: 28, channels: 1 } }).dims).toEqual([2, 27, 28])
  })

  it('rejects a header count other than the expected one', () => {
    const bytes = idxBytes({ magic: 2049, dims: [9] })
    expect(errorOf(() => parseIdx(bytes, 'l', { magic: 2049, count: 10 })).message).toMatch(/header says 9 labels but Fashion-MNIST has 10/)
    expect(parseIdx(bytes, 'l', { magic: 2049 }).dims).toEqual([9])
  })

  it('rejects a header shorter than IDX allows', () => {
    expect(errorOf(() => parseIdx(Uint8Array.of(0, 0, 8, 3, 0, 0), 'i', { magic: 2051 })).message).toMatch(
      /^i: truncated — 6 bytes is shorter than the 16-byte IDX header of images/
    )
  })

  it('reports a damaged gzip stream', () => {
    const gz = gzipSync(idxBytes({ magic: 2051, dims: [50, 28, 28], data: pixels(50) }))
    const e = errorOf(() => parseIdx(gz.subarray(0, gz.length / 2), 't10k-images-idx3-ubyte.gz', { magic: 2051 }))
    expect(e.message).toMatch(
      /^t10k-images-idx3-ubyte\.gz: not a readable gzip file \(.+\) — download it again or import it from a folder$/
    )
  })
})
