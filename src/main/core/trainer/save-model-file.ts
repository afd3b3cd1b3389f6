/** Writes a checkpoint or final model into the run's folder and says what was written. */
import { join } from 'node:path'
import type { WrittenModelFile } from '@shared/trainer-protocol'
import { MODEL_FILE_FORMAT, sha256Hex, type ModelFileKind } from '@main/core/models/model-file'
import { modelFileName } from '@main/core/models/model-file-names'
import { nodeFs, writeFailureReason, writeFileDurable, type DurableFs } from '@main/core/models/write-durable'

export interface SaveModelFileOptions {
  dir: string
  kind: ModelFileKind
  epoch: number
  bytes: Uint8Array
  /**
   * Epoch number in the file name (default `epoch`). The final model uses the epochs trained, which
   * grow with every extension, so a new model never replaces the file the database still names.
   */
  nameEpoch?: number
  /** File-system calls (tests inject a full disk). */
  fs?: DurableFs
}

/**
 * Durably writes the file; on failure throws an error for a person that says what was kept. A
 * failed write leaves the previous files of the run untouched (each epoch has its own file name).
 */
export function saveModelFile({ dir, kind, epoch, bytes, nameEpoch, fs = nodeFs }: SaveModelFileOptions): WrittenModelFile {
  const file = modelFileName(kind, nameEpoch ?? epoch)
  try {
    writeFileDurable(join(dir, file), bytes, fs)
  } catch (error) {
    const what = kind === 'checkpoint' ? `the checkpoint of epoch ${epoch}` : `the trained model (epoch ${epoch})`
    const kept =
      kind === 'checkpoint'
        ? epoch > 1
          ? `Epoch ${epoch} was not recorded; the run keeps its first ${epoch - 1} epoch${epoch === 2 ? '' : 's'} and the checkpoint of epoch ${epoch - 1}.`
          : 'Epoch 1 was not recorded, so the run has no checkpoint yet.'
        : `The run's ${epoch} epochs and its last checkpoint were kept.`
    throw new Error(
      `Could not save ${what} in ${dir}: ${writeFailureReason(error)}. ${kept} Free some disk space, then ${kind === 'checkpoint' && epoch === 1 ? 'start it again' : 'resume the run'}.`
    )
  }
  return { file, format: MODEL_FILE_FORMAT, epoch, bytes: bytes.byteLength, sha256: sha256Hex(bytes) }
}
