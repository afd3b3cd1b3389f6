/**
 * Atelier's model file: one self-checking container for a run's final model and its per-epoch
 * checkpoint. Plain bytes in, plain bytes out (no tf.js at runtime), so the trainer writes it and the
 * main side reads it with the same code.
 *
 * Layout (`atelier-model/2`): 8-byte magic `ATLRMDL2`, u32 LE header length, UTF-8 JSON header, the
 * data sections the header lists, then the 32-byte SHA-256 of everything before it. The checksum
 * covers the whole file (layout, training state and weights), so any edited, truncated or damaged
 * file is refused. The header names the run and the store (database) the file belongs to, so a file
 * copied from another run or another database is refused too (see {@link checkModelFileOwner}).
 *
 * The header's `extra.dataset` (optional) records the dataset trained on: name, shape, class names,
 * content hash and preprocessing (see model-dataset.ts); files without it were trained on Fashion-MNIST.
 * `extra.architecture` (optional) records the architecture file the model was built from (a preset's
 * or the run's own, see run-architecture.ts); files written before custom architectures lack it.
 *
 * `atelier-model/1` files (magic `ATLRMDL1`, checksum over the data sections only, no owner) are still
 * read, flagged {@link DecodedModelFile.legacy}: the model store only accepts them once it has adopted
 * them and recorded their SHA-256 in the database (see model-store.ts).
 */
import { createHash } from 'node:crypto'
import type { io } from '@tensorflow/tfjs'

/** Format tag recorded in the file and in the database. */
export const MODEL_FILE_FORMAT = 'atelier-model/2'
/** The previous format: no owner in the header, checksum over the data only. */
export const LEGACY_MODEL_FILE_FORMAT = 'atelier-model/1'
const MAGIC = 'ATLRMDL2'
const LEGACY_MAGIC = 'ATLRMDL1'
const PREFIX_BYTES = MAGIC.length + 4
const CHECKSUM_BYTES = 32

/** What a file holds: the final model only, or a checkpoint to continue training from. */
export type ModelFileKind = 'model' | 'checkpoint'

/** One named byte range of the data part. */
export interface ModelFileSection {
  name: string
  offset: number
  bytes: number
}

/** Whose file it is: written into the header, checked on every load. */
export interface ModelFileOwner {
  runId: number
  /** The store id of the run database (its `store_meta.store_id`). */
  storeId: string
}

/** The JSON header. `extra` is free-form plain data for the writer (e.g. training state). */
export interface ModelFileHeader {
  format: string
  kind: ModelFileKind
  /** Epoch whose weights the `weights` section holds. */
  epoch: number
  /** Run the file belongs to; absent in `atelier-model/1` files. */
  runId?: number
  /** Store (database) the file belongs to; absent in `atelier-model/1` files. */
  storeId?: string
  /** tf.js `ModelArtifacts.modelTopology` (the Keras-style model JSON). */
  modelTopology: unknown
  /** tf.js weight manifest of the `weights` section. */
  weightSpecs: io.WeightsManifestEntry[]
  sections: ModelFileSection[]
  /** Total bytes of all sections. */
  dataBytes: number
  /** `atelier-model/1` only: hex SHA-256 of the data part (v2 keeps its checksum after the data). */
  sha256?: string
  extra: Record<string, unknown>
}

/** What {@link encodeModelFile} packs. */
export interface ModelFileContent {
  kind: ModelFileKind
  epoch: number
  /** The run and store the file is written for. */
  owner: ModelFileOwner
  modelTopology: unknown
  weightSpecs: io.WeightsManifestEntry[]
  /** Named binary sections; `weights` must be present (the model's weight data). */
  sections: Record<string, Uint8Array>
  extra?: Record<string, unknown>
}

/** A file that is not a readable model file, or not this run's, with what is wrong in words. */
export class ModelFileError extends Error {
  constructor(
    readonly problem: 'truncated' | 'corrupt' | 'unsupported' | 'foreign',
    message: string
  ) {
    super(message)
    this.name = 'ModelFileError'
  }
}

/**
 * The same file made out to another run and store (a run copied between stores keeps its weights,
 * training state and dataset; only the owner in the header changes, and so the checksum).
 */
export function restampModelFile(bytes: Uint8Array, owner: ModelFileOwner, what = 'the model file'): Uint8Array {
  const file = decodeModelFile(bytes, what)
  if (file.legacy) throw new ModelFileError('unsupported', `${what} is in the old format atelier-model/1, which is not copied.`)
  const { header } = file
  const sections: Record<string, Uint8Array> = {}
  for (const section of header.sections) sections[section.name] = file.sections.get(section.name)!
  return encodeModelFile({
    kind: header.kind,
    epoch: header.epoch,
    owner,
    modelTopology: header.modelTopology,
    weightSpecs: header.weightSpecs,
    sections,
    extra: header.extra
  })
}

/** Hex SHA-256 of a whole file, as the database records it (what `sha256sum` prints). */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** Packs a model file; the result is written to disk as is. */
export function encodeModelFile(content: ModelFileContent): Uint8Array {
  if (!content.sections.weights) throw new Error('a model file needs a weights section')
  const sections: ModelFileSection[] = []
  let offset = 0
  for (const [name, bytes] of Object.entries(content.sections)) {
    sections.push({ name, offset, bytes: bytes.byteLength })
    offset += bytes.byteLength
  }
  const header: ModelFileHeader = {
    format: MODEL_FILE_FORMAT,
    kind: content.kind,
    epoch: content.epoch,
    runId: content.owner.runId,
    storeId: content.owner.storeId,
    modelTopology: content.modelTopology,
    weightSpecs: content.weightSpecs,
    sections,
    dataBytes: offset,
    extra: content.extra ?? {}
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const body = PREFIX_BYTES + json.byteLength + offset
  const out = new Uint8Array(body + CHECKSUM_BYTES)
  out.set(Buffer.from(MAGIC, 'latin1'), 0)
  new DataView(out.buffer).setUint32(MAGIC.length, json.byteLength, true)
  out.set(json, PREFIX_BYTES)
  let at = PREFIX_BYTES + json.byteLength
  for (const bytes of Object.values(content.sections)) {
    out.set(bytes, at)
    at += bytes.byteLength
  }
  out.set(createHash('sha256').update(out.subarray(0, body)).digest(), body)
  return out
}

/** A decoded file: its header and each section as a view into the file's bytes. */
export interface DecodedModelFile {
  header: ModelFileHeader
  sections: Map<string, Uint8Array>
  /** An `atelier-model/1` file: its header was not covered by its checksum and names no owner. */
  legacy: boolean
}

/** Reads and verifies a model file; throws {@link ModelFileError} for anything short, damaged or foreign. */
export function decodeModelFile(bytes: Uint8Array, what = 'the model file'): DecodedModelFile {
  if (bytes.byteLength < PREFIX_BYTES) {
    throw new ModelFileError('truncated', `${what} is truncated (${bytes.byteLength} bytes, not even a header).`)
  }
  const magic = Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1')
  if (magic !== MAGIC && magic !== LEGACY_MAGIC) {
    throw new ModelFileError('unsupported', `${what} is not an Atelier model file (its first bytes are wrong).`)
  }
  const legacy = magic === LEGACY_MAGIC
  const trailer = legacy ? 0 : CHECKSUM_BYTES
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true)
  if (PREFIX_BYTES + headerBytes + trailer > bytes.byteLength) {
    throw new ModelFileError('truncated', `${what} is truncated: its header is cut off.`)
  }
  let header: ModelFileHeader
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes)).toString('utf8')) as ModelFileHeader
  } catch {
    throw new ModelFileError('corrupt', `${what} is damaged: its header is not valid JSON.`)
  }
  const expectedFormat = legacy ? LEGACY_MODEL_FILE_FORMAT : MODEL_FILE_FORMAT
  if (header?.format !== expectedFormat) {
    throw new ModelFileError('unsupported', `${what} has format "${String(header?.format)}", which this Atelier cannot read.`)
  }
  const dataStart = PREFIX_BYTES + headerBytes
  const dataBytes = bytes.byteLength - dataStart - trailer
  if (dataBytes < header.dataBytes) {
    throw new ModelFileError('truncated', `${what} is truncated: ${Math.max(0, dataBytes)} of ${header.dataBytes} data bytes are there.`)
  }
  if (dataBytes > header.dataBytes) {
    throw new ModelFileError('corrupt', `${what} is damaged: ${dataBytes - header.dataBytes} bytes more than its header lists.`)
  }
  const data = bytes.subarray(dataStart, dataStart + dataBytes)
  const intact = legacy
    ? sha256Hex(data) === header.sha256
    : Buffer.from(
        createHash('sha256')
          .update(bytes.subarray(0, dataStart + dataBytes))
          .digest()
      ).equals(Buffer.from(bytes.subarray(dataStart + dataBytes)))
  if (!intact) {
    throw new ModelFileError(
      'corrupt',
      legacy
        ? `${what} is damaged: its data does not match the checksum written with it.`
        : `${what} is damaged: its contents (layout, training state or weights) do not match the checksum written with it.`
    )
  }
  const sections = new Map<string, Uint8Array>()
  for (const s of header.sections) sections.set(s.name, data.subarray(s.offset, s.offset + s.bytes))
  if (!sections.has('weights')) throw new ModelFileError('corrupt', `${what} has no weights section.`)
  return { header, sections, legacy }
}

/**
 * Throws a {@link ModelFileError} (`foreign`) when a decoded file names another run or another store
 * than `owner`: a valid file copied over this run's. Legacy files name no owner and are not checked here.
 */
export function checkModelFileOwner(file: DecodedModelFile, owner: ModelFileOwner, what = 'the model file'): void {
  if (file.legacy) return
  const { runId, storeId } = file.header
  if (runId !== owner.runId) {
    throw new ModelFileError(
      'foreign',
      `${what} belongs to run ${String(runId)}, not run ${owner.runId}: it was copied or moved here from another run.`
    )
  }
  if (storeId !== owner.storeId) {
    throw new ModelFileError(
      'foreign',
      `${what} was written for run ${runId} of another run database (store ${String(storeId)}), not this one (store ${owner.storeId}).`
    )
  }
}

/** Copies a view into a fresh, exactly sized ArrayBuffer (tf.js wants whole buffers). */
export function toArrayBuffer(view: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(view.byteLength)
  new Uint8Array(out).set(view)
  return out
}

/**
 * The tf.js ModelArtifacts of a decoded file, loadable with `tf.loadLayersModel(tf.io.fromMemory(...))`.
 * The dataset the file records (see model-dataset.ts) travels in `userDefinedMetadata.atelierDataset`.
 */
export function toModelArtifacts(file: DecodedModelFile): io.ModelArtifacts {
  const dataset = file.header.extra?.dataset
  return {
    ...(dataset ? { userDefinedMetadata: { atelierDataset: dataset as object } } : {}),
    modelTopology: file.header.modelTopology as io.ModelArtifacts['modelTopology'],
    weightSpecs: file.header.weightSpecs,
    weightData: toArrayBuffer(file.sections.get('weights') as Uint8Array),
    format: 'layers-model',
    generatedBy: 'Atelier',
    convertedBy: null
  }
}
