/**
 * The model-file container: round trip; a clear refusal of truncated, damaged (anywhere: header,
 * training state or weights) or foreign files; owner checks; `atelier-model/1` files still read.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkModelFileOwner, decodeModelFile, encodeModelFile, ModelFileError, toModelArtifacts } from '@main/core/models/model-file'

const weights = new Uint8Array(new Float32Array([1.5, -2, 3.25, 0]).buffer)
const order = new Uint8Array(new Uint32Array([3, 1, 2, 0]).buffer)
const owner = { runId: 4, storeId: 'store-a' }
const file = encodeModelFile({
  kind: 'checkpoint',
  epoch: 7,
  owner,
  modelTopology: { class_name: 'Sequential', config: { activation: 'relu' } },
  weightSpecs: [{ name: 'dense_0/kernel', shape: [2, 2], dtype: 'float32' }],
  sections: { weights, order },
  extra: { training: { learningRate: 0.001 } }
})

const problemOf = (bytes: Uint8Array, check = (_: ReturnType<typeof decodeModelFile>) => {}): string => {
  try {
    check(decodeModelFile(bytes, 'the test file'))
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError)
    return `${(error as ModelFileError).problem}: ${(error as Error).message}`
  }
  throw new Error('decoded without complaint')
}

/** The file with one text of its header replaced by another of the same length. */
function edited(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1')
  expect(text).toContain(from)
  expect(to).toHaveLength(from.length)
  return new Uint8Array(Buffer.from(text.replace(from, to), 'latin1'))
}

/** An `atelier-model/1` file as the previous Atelier wrote it: checksum over the data only, no owner. */
function legacyFile(): Uint8Array {
  const data = Buffer.concat([weights, order])
  const header = {
    format: 'atelier-model/1',
    kind: 'model',
    epoch: 3,
    modelTopology: { class_name: 'Sequential' },
    weightSpecs: [{ name: 'dense_0/kernel', shape: [2, 2], dtype: 'float32' }],
    sections: [
      { name: 'weights', offset: 0, bytes: 16 },
      { name: 'order', offset: 16, bytes: 16 }
    ],
    dataBytes: 32,
    sha256: createHash('sha256').update(data).digest('hex'),
    extra: {}
  }
  const json = Buffer.from(JSON.stringify(header))
  const length = Buffer.alloc(4)
  length.writeUInt32LE(json.byteLength)
  return new Uint8Array(Buffer.concat([Buffer.from('ATLRMDL1', 'latin1'), length, json, data]))
}

describe('model file', () => {
  it('reads back every section, the header with its owner and tf.js ModelArtifacts', () => {
    const decoded = decodeModelFile(file)
    expect(decoded.legacy).toBe(false)
    expect(decoded.header).toMatchObject({
      kind: 'checkpoint',
      epoch: 7,
      format: 'atelier-model/2',
      runId: 4,
      storeId: 'store-a',
      extra: { training: { learningRate: 0.001 } }
    })
    expect([...new Float32Array(decoded.sections.get('weights')!.slice().buffer)]).toEqual([1.5, -2, 3.25, 0])
    expect([...new Uint32Array(decoded.sections.get('order')!.slice().buffer)]).toEqual([3, 1, 2, 0])
    const artifacts = toModelArtifacts(decoded)
    expect(artifacts.weightSpecs?.[0].name).toBe('dense_0/kernel')
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(16)
  })

  it('refuses a file cut anywhere, saying it is truncated', () => {
    for (const length of [0, 5, 20, file.byteLength - 40, file.byteLength - 1]) {
      expect(problemOf(file.subarray(0, length))).toMatch(/^truncated: the test file is truncated/)
    }
  })

  it('refuses an edited layout or training state, not only damaged weights', () => {
    expect(problemOf(edited(file, '"activation":"relu"', '"activation":"tanh"'))).toMatch(
      /^corrupt: the test file is damaged: its contents \(layout, training state or weights\) do not match the checksum/
    )
    expect(problemOf(edited(file, '"learningRate":0.001', '"learningRate":0.009'))).toMatch(/^corrupt: .*do not match the checksum/)
    expect(problemOf(edited(file, '"runId":4', '"runId":5'))).toMatch(/^corrupt: .*do not match the checksum/)
    const flipped = file.slice()
    flipped[flipped.byteLength - 40] ^= 0x40
    expect(problemOf(flipped)).toMatch(/^corrupt: .*do not match the checksum/)
    const checksum = file.slice()
    checksum[checksum.byteLength - 1] ^= 0x01
    expect(problemOf(checksum)).toMatch(/^corrupt: .*do not match the checksum/)
  })

  it('refuses a broken header, a foreign file and extra bytes', () => {
    const header = file.slice()
    header[12] = 0x00
    expect(problemOf(header)).toMatch(/^corrupt: .*header is not valid JSON/)
    expect(problemOf(new TextEncoder().encode('{"modelTopology": {}} and more text'))).toMatch(/^unsupported: .*not an Atelier model file/)
    const longer = new Uint8Array(file.byteLength + 4)
    longer.set(file)
    expect(problemOf(longer)).toMatch(/^corrupt: .*4 bytes more/)
  })

  it('refuses a valid file of another run or another store', () => {
    expect(problemOf(file, (f) => checkModelFileOwner(f, { runId: 3, storeId: 'store-a' }, 'the test file'))).toBe(
      'foreign: the test file belongs to run 4, not run 3: it was copied or moved here from another run.'
    )
    expect(problemOf(file, (f) => checkModelFileOwner(f, { runId: 4, storeId: 'store-b' }, 'the test file'))).toMatch(
      /^foreign: the test file was written for run 4 of another run database \(store store-a\), not this one \(store store-b\)/
    )
    expect(() => checkModelFileOwner(decodeModelFile(file), owner)).not.toThrow()
  })

  it('still reads atelier-model/1 files, flagged legacy, and refuses their damaged data', () => {
    const old = legacyFile()
    const decoded = decodeModelFile(old)
    expect(decoded).toMatchObject({ legacy: true, header: { format: 'atelier-model/1', kind: 'model', epoch: 3 } })
    expect(decoded.header.runId).toBeUndefined()
    const damaged = old.slice()
    damaged[damaged.byteLength - 1] ^= 0x08
    expect(problemOf(damaged)).toMatch(/^corrupt: .*its data does not match the checksum/)
  })
})
