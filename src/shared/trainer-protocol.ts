/** Messages between the main side and a trainer process (utilityProcess or child_process.fork). */
import type { Hparams } from './hparams'
import type { BackendInfo, EpochRecord, Predictions, TestMetrics } from './run'

/** Which backend the trainer should use; `auto` walks the ladder tensorflow → wasm → cpu. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu'

/** Parent → trainer. */
export type TrainerRequest =
  | {
      type: 'start'
      runId: number
      hparams: Hparams
      /** Folder holding the four Fashion-MNIST files (gzip or raw). */
      dataDir: string
      backend: BackendChoice
      /** WASM threads this run may use (its share of the machine's cores); default all cores. */
      threads?: number
    }
  | { type: 'cancel'; runId: number }

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

/** Trainer → parent. Every message carries the run id. */
export type TrainerEvent =
  | { type: 'ready'; runId: number; backend: BackendInfo; datasetChecksum: string }
  | ({ type: 'progress' } & TrainerProgress)
  | { type: 'epoch'; runId: number; record: EpochRecord }
  | {
      type: 'done'
      runId: number
      /** `completed` after the last epoch or early stop, `cancelled` after a cancel request. */
      status: 'completed' | 'cancelled'
      metrics: TestMetrics | null
      predictions: Predictions | null
    }
  | { type: 'error'; runId: number; message: string }
