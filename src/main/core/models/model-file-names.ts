/** File names of a run's model files inside its folder; the epoch is part of the name so a new file never replaces the one the database names. */
import type { ModelFileKind } from './model-file'

/** `checkpoint-0003.atm`, `model-0010.atm`. */
export function modelFileName(kind: ModelFileKind, epoch: number): string {
  return `${kind}-${String(epoch).padStart(4, '0')}.atm`
}

/** Folder name of a run's model files inside the models folder. */
export const runFolderName = (runId: number): string => `run-${runId}`
