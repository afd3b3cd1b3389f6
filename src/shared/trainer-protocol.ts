/**
 * Messages between the main side and a trainer process (utilityProcess or child_process.fork).
 *
 * Trained models: the trainer never writes the database, but it does write model files, into the
 * folder the main side names in `start` (`<models>/run-<id>/`). After each completed epoch it
 * writes a checkpoint file (temp file, fsync, rename: never a partial file under the final name,
 * and never over the previous checkpoint, since every epoch gets its own file name), then posts the
 * `epoch` event naming it; the main side records the epoch and the checkpoint in one transaction
 * and only then deletes the older checkpoint file. A checkpoint that cannot be written (disk full)
 * ends the run with an `error` before that epoch is posted, so history and checkpoint always agree.
 * After the last epoch the final model file is written the same way and named in `done`.
 */
import type { Hparams } from './hparams'
import type { BuiltinDataset, DatasetRef } from './dataset'
import type { BackendInfo, EpochRecord, Predictions, TestMetrics } from './run'

/** Which backend the trainer should use; `auto` walks the ladder tensorflow → wasm → cpu. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu'

/** Parent → trainer. */
export type TrainerRequest =
  | {
      type: 'start'
      runId: number
      hparams: Hparams
      /** Where the run's dataset is and what it must hold (shape, classes, content hash when known). */
      dataset: DatasetLocation
      backend: BackendChoice
      /** WASM threads this run may use (its share of the machine's cores); default all cores. */
      threads?: number
      /** Folder the trainer writes this run's checkpoint and model files into (it exists). */
      modelDir: string
      /** Id of the run database, written with the run id into every model file (they are checked on load). */
      storeId: string
      /** Continue from this checkpoint instead of fresh weights; null for a new run. */
      resume: TrainerResume | null
    }
  | { type: 'cancel'; runId: number }

/**
 * Where a dataset's files are, as the trainer needs them: the official files of a built-in in a
 * folder (`idx`: the MNIST family's four files; `cifar10`: the binary version's batch files), or the
 * cached file a folder import wrote. Loaded by `loadImages` in src/main/core/dataset/images.ts.
 */
export type DatasetLocation = (
  | { kind: 'idx'; family: Exclude<BuiltinDataset, 'cifar10'>; dir: string }
  | { kind: 'cifar10'; dir: string }
  | { kind: 'cache'; file: string }
) & {
  /** The dataset as the run records it: name, shape, class names, content hash (when known), preprocessing. */
  ref: DatasetRef
}

/** Where a resumed run continues from. */
export interface TrainerResume {
  /** Checkpoint file name inside `modelDir`. */
  file: string
  /** SHA-256 of the whole file as the main side verified it (null for an adopted legacy file without one). */
  sha256: string | null
  /** Forget early stopping's patience count ("train more" after an early stop). */
  resetEarlyStopping: boolean
}

/** A model or checkpoint file the trainer has written completely into `modelDir`. */
export interface WrittenModelFile {
  /** File name inside `modelDir`. */
  file: string
  /** `atelier-model/2` (see src/main/core/models/model-file.ts). */
  format: string
  /** Epoch whose weights it holds. */
  epoch: number
  bytes: number
  /** Hex SHA-256 of the whole file, recorded in the database and checked on every load. */
  sha256: string
}

/** Live progress within an epoch, posted at least every 250 ms. */
export interface TrainerProgress {
  runId: number
  /** 1-based epoch in progress. */
  epoch: number
  epochs: number
  /** Batches done in this epoch. */
  batch: number
  batches: number
  /** Running mean loss and accuracy over this epoch's batches so far. */
  loss: number
  accuracy: number
  imagesPerSec: number
  /** Seconds left for the whole run at the current speed. */
  etaSeconds: number
}

/**
 * What a run's trainer is doing, so the wait before the first batch and after the last one has words.
 * `starting` is reported by the main side (process spawned, backend loading); the trainer posts the rest.
 */
export type TrainerPhase = 'starting' | 'loading-data' | 'training' | 'batch-norm' | 'evaluating'

/** How each phase reads for a person. */
export const TRAINER_PHASE_LABELS: Record<TrainerPhase, string> = {
  starting: 'starting the trainer',
  'loading-data': 'loading the dataset',
  training: 'training',
  'batch-norm': 're-estimating batch-norm statistics',
  evaluating: 'evaluating the test set'
}

/** A phase change of one run; `phase: null` once its trainer has stopped. */
export interface TrainerPhaseChange {
  runId: number
  phase: TrainerPhase | null
}

/** Trainer → parent. Every message carries the run id. */
export type TrainerEvent =
  | { type: 'ready'; runId: number; backend: BackendInfo; datasetChecksum: string }
  | { type: 'phase'; runId: number; phase: Exclude<TrainerPhase, 'starting'> }
  | ({ type: 'progress' } & TrainerProgress)
  | {
      type: 'epoch'
      runId: number
      record: EpochRecord
      /** The checkpoint written after this epoch (already on disk when this arrives). */
      checkpoint: WrittenModelFile
    }
  | {
      type: 'done'
      runId: number
      /** `completed` after the last epoch or early stop, `cancelled` after a cancel request. */
      status: 'completed' | 'cancelled'
      metrics: TestMetrics | null
      predictions: Predictions | null
      /** The final model (best-epoch weights when early stopping restored them); null when cancelled. */
      model: WrittenModelFile | null
    }
  | { type: 'error'; runId: number; message: string }
