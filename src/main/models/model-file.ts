/**
 * Atelier's model file: one self-checking container for a run's final model and its per-epoch
 * checkpoint. Plain bytes in, plain bytes out (no tf.js at runtime), so the trainer writes it and the
 * main side reads it with the same code.
 *
 * Layout: 8-byte magic `ATLRMDL1`, u32 LE header length, UTF-8 JSON header, then the data sections
 * the header lists. The header carries the SHA-256 of the data, so a truncated or damaged file is
 * refused with a clear error instead of loading wrong weights.
 */
import { createHash } from 'node:crypto'
import type { io } from '@tensorflow/tfjs'

/** Format tag recorded in the file and in the database. */
export const MODEL_FILE_FORMAT = 'atelier-model/1'
const MAGIC = 'ATLRMDL1'
const PREFIX_BYTES = MAGIC.length + 4

/** What a file holds: the final model only, or a checkpoint to continue training from. */
export type ModelFileKind = 'model' | 'checkpoint'

/** One named byte range of the data part. */
export interface ModelFileSection {
  name: string
  offset: number
  bytes: number
}

/** The JSON header. `extra` is free-form plain data for the writer (e.g. training state). */
export interface ModelFileHeader {
  format: typeof MODEL_FILE_FORMAT
  kind: ModelFileKind
  /** Epoch whose weights the `weights` section holds. */
  epoch: number
  /** tf.js `ModelArtifacts.modelTopology` (the Keras-style model JSON). */
  modelTopology: unknown
  /** tf.js weight manifest of the `weights` section. */
  weightSpecs: io.WeightsManifestEntry[]
  sections: ModelFileSection[]
  /** Total bytes of all sections. */
  dataBytes: number
  /** Hex SHA-256 of the data part. */
  sha256: string
  extra: Record<string, unknown>
}

/** What {@link encodeModelFile} packs. */
export interface ModelFileContent {
  kind: ModelFileKind
  epoch: number
  modelTopology: unknown
  weightSpecs: io.WeightsManifestEntry[]
  /** Named binary sections; `weights` must be present (the model's weight data). */
  sections: Record<string, Uint8Array>
  extra?: Record<string, unknown>
}

/** A file that is not a readable model file, with what is wrong in words. */
export class ModelFileError extends Error {
  constructor(
    readonly problem: 'truncated' | 'corrupt' | 'unsupported',
    message: string
  ) {
    super(message)
    this.name = 'ModelFileError'
  }
}

/** Packs a model file; the result is written to disk as is. */
export function encodeModelFile(content: ModelFileContent): Uint8Array {
  if (!content.sections.weights) throw new Error('a model file needs a weights section')
  const sections: ModelFileSection[] = []
  let offset = 0
  const hash = createHash('sha256')
  for (const [name, bytes] of Object.entries(content.sections)) {
    sections.push({ name, offset, bytes: bytes.byteLength })
    hash.update(bytes)
    offset += bytes.byteLength
  }
  const header: ModelFileHeader = {
    format: MODEL_FILE_FORMAT,
    kind: content.kind,
    epoch: content.epoch,
    modelTopology: content.modelTopology,
    weightSpecs: content.weightSpecs,
    sections,
    dataBytes: offset,
    sha256: hash.digest('hex'),
    extra: content.extra ?? {}
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const out = new Uint8Array(PREFIX_BYTES + json.byteLength + offset)
  out.set(Buffer.from(MAGIC, 'latin1'), 0)
  new DataView(out.buffer).setUint32(MAGIC.length, json.byteLength, true)
  out.set(json, PREFIX_BYTES)
  let at = PREFIX_BYTES + json.byteLength
  for (const bytes of Object.values(content.sections)) {
    out.set(bytes, at)
    at += bytes.byteLength
  }
  return out
}

/** A decoded file: its header and each section as a view into the file's bytes. */
export interface DecodedModelFile {
  header: ModelFileHeader
  sections: Map<string, Uint8Array>
}

/** Reads and verifies a model file; throws {@link ModelFileError} for anything short, damaged or foreign. */
export function decodeModelFile(bytes: Uint8Array, what = 'the model file'): DecodedModelFile {
  if (bytes.byteLength < PREFIX_BYTES) {
    throw new ModelFileError('truncated', `${what} is truncated (${bytes.byteLength} bytes, not even a header).`)
  }
  if (Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1') !== MAGIC) {
    throw new ModelFileError('unsupported', `${what} is not an Atelier model file (its first bytes are wrong).`)
  }
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true)
  if (PREFIX_BYTES + headerBytes > bytes.byteLength) {
    throw new ModelFileError('truncated', `${what} is truncated: its header is cut off.`)
  }
  let header: ModelFileHeader
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes)).toString('utf8')) as ModelFileHeader
  } catch {
    throw new ModelFileError('corrupt', `${what} is damaged: its header is not valid JSON.`)
  }
  if (header?.format !== MODEL_FILE_FORMAT) {
    throw new ModelFileError('unsupported', `${what} has format "${String(header?.format)}", which this Atelier cannot read.`)
  }
  const dataStart = PREFIX_BYTES + headerBytes
  const dataBytes = bytes.byteLength - dataStart
  if (dataBytes < header.dataBytes) {
    throw new ModelFileError('truncated', `${what} is truncated: ${dataBytes} of ${header.dataBytes} data bytes are there.`)
  }
  if (dataBytes > header.dataBytes) {
    throw new ModelFileError('corrupt', `${what} is damaged: ${dataBytes - header.dataBytes} bytes more than its header lists.`)
  }
  const data = bytes.subarray(dataStart)
  if (createHash('sha256').update(data).digest('hex') !== header.sha256) {
    throw new ModelFileError('corrupt', `${what} is damaged: its data does not match the checksum written with it.`)
  }
  const sections = new Map<string, Uint8Array>()
  for (const s of header.sections) sections.set(s.name, data.subarray(s.offset, s.offset + s.bytes))
  if (!sections.has('weights')) throw new ModelFileError('corrupt', `${what} has no weights section.`)
  return { header, sections }
}

/** Copies a view into a fresh, exactly sized ArrayBuffer (tf.js wants whole buffers). */
export function toArrayBuffer(view: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(view.byteLength)
  new Uint8Array(out).set(view)
  return out
}

/** The tf.js ModelArtifacts of a decoded file, loadable with `tf.loadLayersModel(tf.io.fromMemory(...))`. */
export function toModelArtifacts(file: DecodedModelFile): io.ModelArtifacts {
  return {
    modelTopology: file.header.modelTopology as io.ModelArtifacts['modelTopology'],
    weightSpecs: file.header.weightSpecs,
    weightData: toArrayBuffer(file.sections.get('weights') as Uint8Array),
    format: 'layers-model',
    generatedBy: 'Atelier',
    convertedBy: null
  }
}
