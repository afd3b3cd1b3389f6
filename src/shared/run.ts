/** Records of runs as the database stores them and the UI shows them. */
import type { DatasetRef } from './dataset'
import type { Hparams } from './hparams'
import type { RunPreset } from './hparams'

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** Backend and library versions a run was trained with, so comparisons stay honest. */
export interface BackendInfo {
  /** `tensorflow` (tfjs-node), `wasm` or `cpu`. */
  name: string
  /** Whether the WASM backend ran with more than one thread, and how many. */
  threads: number
  /** Library versions, e.g. `{ tfjs: '4.22.0' }`. */
  versions: Record<string, string>
}

/** One row of the run list. */
export interface RunSummary {
  id: number
  name: string
  /** A preset's id, or `custom` when the run trains its own architecture (see `modelTitle` in run-architecture.ts). */
  preset: RunPreset
  /** The name of a custom run's architecture; null for a preset. */
  architectureName: string | null
  status: RunStatus
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  /** Epochs completed so far. */
  epochsDone: number
  /** Epochs asked for. */
  epochsPlanned: number
  bestValAccuracy: number | null
  testAccuracy: number | null
  testLoss: number | null
  backend: string | null
  tags: string[]
  errorMessage: string | null
  /** The group of seed repeats this run belongs to, if any. */
  groupId: number | null
  /** The sweep that queued this run, if any. */
  sweepId: number | null
  /** Hyperparameters by dotted path (`learningRate`, `earlyStopping.patience`), for the list's columns; empty when unreadable. */
  hp: Record<string, HpValue>
  /** The run's notes, so the list's filter can search them. */
  notes: string
  /** Bumped by every change to the run (by any process): of two states of one run, the higher version is newer. */
  version: number
  /**
   * Training time in ms: the sum of the recorded epochs' durations (each includes its validation pass).
   * Waiting in the queue, starting the trainer and the test-set evaluation are not counted. See `TRAINING_TIME_HINT`.
   */
  trainingMs: number
  /** True when another process (e.g. the CLI on the same database) is training this run. */
  ownedElsewhere: boolean
}

/** One hyperparameter's value in a run list row. */
export type HpValue = number | string | boolean | null

/** How long a run is expected to train on this machine, from past completed runs of its preset in this store. */
export interface RunEstimate {
  /** Expected training time in seconds (see {@link TRAINING_TIME_HINT}); null when no such run finished here yet. */
  seconds: number | null
  /** How many past runs the estimate is drawn from. */
  basedOnRuns: number
  /** True when early stopping is on, so the run may end sooner. */
  mayStopEarly: boolean
}

/** What "training time" means wherever it is shown (one definition: {@link RunSummary.trainingMs}). */
export const TRAINING_TIME_HINT =
  "Training time: the sum of the epochs' durations, each with its validation pass. Time in the queue, starting the trainer and the test-set evaluation are not counted, nor pauses between an interruption and Resume."

/** One epoch of a run's history. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number
  loss: number
  accuracy: number
  valLoss: number
  valAccuracy: number
  /** Learning rate in force during this epoch. */
  learningRate: number
  durationMs: number
}

/** Precision, recall and F1 of one class on the test set. */
export interface ClassMetrics {
  precision: number
  recall: number
  f1: number
  support: number
}

/** What the trainer measures on the full test set after training. */
export interface TestMetrics {
  testLoss: number
  testAccuracy: number
  perClass: ClassMetrics[]
  /** confusion[true][predicted] counts. */
  confusion: number[][]
  /**
   * Set when the batch-norm layers' moving statistics were re-estimated over training images before
   * this test evaluation (absent for models without batch norm and for runs recorded before it existed).
   */
  batchNorm?: BatchNormReestimate | null
}

/** The one pass over training images that re-estimated a model's batch-norm statistics after training. */
export interface BatchNormReestimate {
  /** Batch-norm layers whose moving mean and variance were replaced. */
  layers: number
  /** Training images the averages were taken over. */
  images: number
}

/** Every test image's prediction, in official test-set order. */
export interface Predictions {
  /** Predicted class per test image. */
  predicted: Uint8Array
  /** Softmax probabilities, row-major `[n, classes]`. */
  probabilities: Float32Array
}

/** Everything about a run except its predictions. */
export interface RunDetail extends RunSummary {
  hparams: Hparams
  notes: string
  seed: number
  /** Content hash of the data the trainer loaded (equal to `dataset.contentHash` unless the files changed since). */
  datasetChecksum: string | null
  /** The dataset the run trained on: its name, image shape, class names and preprocessing. */
  dataset: DatasetRef
  backendInfo: BackendInfo | null
  appVersion: string
  history: EpochRecord[]
  metrics: TestMetrics | null
  /** Where training continued after an interruption or was extended, oldest first. */
  resumePoints: ResumePoint[]
}

/** Where a run's training continued: after an interruption (`resumed`) or to train it further (`extended`). */
export interface ResumePoint {
  /** Training continued after this completed epoch. */
  afterEpoch: number
  kind: 'resumed' | 'extended'
  /** ISO time. */
  at: string
  /** For `extended`: the test accuracy and loss the run had before (its test metrics are evaluated again). */
  previousTestAccuracy: number | null
  previousTestLoss: number | null
}

/** A run's stored model files and their sizes on disk. */
export interface ModelInfo {
  runId: number
  /** Epoch of the final model's weights (the best epoch when early stopping restored it), or null. */
  modelEpoch: number | null
  modelBytes: number
  /** Epoch of the latest checkpoint, or null when there is none (never written, or dropped). */
  checkpointEpoch: number | null
  checkpointBytes: number
  /** Model plus checkpoint. */
  totalBytes: number
  /** File format of the stored files, e.g. `atelier-model/1`. */
  format: string | null
}
