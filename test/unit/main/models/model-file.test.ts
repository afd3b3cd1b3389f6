/** The model-file container: round trip, and a clear refusal of truncated, damaged or foreign files. */
import { describe, expect, it } from 'vitest'
import { decodeModelFile, encodeModelFile, ModelFileError, toModelArtifacts } from '@main/models/model-file'

const weights = new Uint8Array(new Float32Array([1.5, -2, 3.25, 0]).buffer)
const order = new Uint8Array(new Uint32Array([3, 1, 2, 0]).buffer)
const file = encodeModelFile({
  kind: 'checkpoint',
  epoch: 7,
  modelTopology: { class_name: 'Sequential' },
  weightSpecs: [{ name: 'dense_0/kernel', shape: [2, 2], dtype: 'float32' }],
  sections: { weights, order },
  extra: { training: { learningRate: 0.0005 } }
})

const problemOf = (bytes: Uint8Array): string => {
  try {
    decodeModelFile(bytes, 'the test file')
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError)
    return `${(error as ModelFileError).problem}: ${(error as Error).message}`
  }
  throw new Error('decoded without complaint')
}

describe('model file', () => {
  it('reads back every section, the header and tf.js ModelArtifacts', () => {
    const decoded = decodeModelFile(file)
    expect(decoded.header).toMatchObject({ kind: 'checkpoint', epoch: 7, format: 'atelier-model/1', extra: { training: { learningRate: 0.0005 } } })
    expect([...new Float32Array(decoded.sections.get('weights')!.slice().buffer)]).toEqual([1.5, -2, 3.25, 0])
    expect([...new Uint32Array(decoded.sections.get('order')!.slice().buffer)]).toEqual([3, 1, 2, 0])
    const artifacts = toModelArtifacts(decoded)
    expect(artifacts.weightSpecs?.[0].name).toBe('dense_0/kernel')
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(16)
  })

  it('refuses a file cut anywhere, saying it is truncated', () => {
    for (const length of [0, 5, 20, file.byteLength - 1]) {
      expect(problemOf(file.subarray(0, length))).toMatch(/^truncated: the test file is truncated/)
    }
  })

  it('refuses a flipped data byte, a broken header and a foreign file', () => {
    const flipped = file.slice()
    flipped[flipped.byteLength - 3] ^= 0x40
    expect(problemOf(flipped)).toMatch(/^corrupt: .*does not match the checksum/)
    const header = file.slice()
    header[12] = 0x00
    expect(problemOf(header)).toMatch(/^corrupt: .*header is not valid JSON/)
    expect(problemOf(new TextEncoder().encode('{"modelTopology": {}} and more text'))).toMatch(/^unsupported: .*not an Atelier model file/)
    const longer = new Uint8Array(file.byteLength + 4)
    longer.set(file)
    expect(problemOf(longer)).toMatch(/^corrupt: .*4 bytes more/)
  })
})
