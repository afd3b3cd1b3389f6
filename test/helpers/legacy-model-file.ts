/** `atelier-model/1` files as Atelier wrote them before v5: checksum over the data sections only, no run or store id. */
import { createHash } from 'node:crypto'

export interface LegacyFileOptions {
  kind: 'model' | 'checkpoint'
  epoch: number
  /** Weight bytes (any length divisible by 4). */
  weights: Uint8Array
}

export function legacyModelFile({ kind, epoch, weights }: LegacyFileOptions): Uint8Array {
  const header = {
    format: 'atelier-model/1',
    kind,
    epoch,
    modelTopology: { class_name: 'Sequential' },
    weightSpecs: [{ name: 'dense_0/kernel', shape: [weights.byteLength / 4], dtype: 'float32' }],
    sections: [{ name: 'weights', offset: 0, bytes: weights.byteLength }],
    dataBytes: weights.byteLength,
    sha256: createHash('sha256').update(weights).digest('hex'),
    extra: {}
  }
  const json = Buffer.from(JSON.stringify(header))
  const length = Buffer.alloc(4)
  length.writeUInt32LE(json.byteLength)
  return new Uint8Array(Buffer.concat([Buffer.from('ATLRMDL1', 'latin1'), length, json, weights]))
}
