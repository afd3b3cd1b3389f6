/**
 * What `npm run bench` says to a persistent engine process and what it answers, the same for both engines:
 * the TensorFlow.js child (bench/train-child.ts) over Node IPC, and `bench/pytorch_bench.py --serve` as
 * one JSON object per line on stdin/stdout. Everything here is plain data.
 */
import type { BenchModel } from './bench-models'
import type { BackendChoice } from '@shared/trainer-protocol'

/** Parent → engine: load the data, build the preset and run the untimed warm-up. Sent once, first. */
export interface StartCommand {
  cmd: 'start'
  /** A preset or an example architecture (bench/bench-models.ts). */
  preset: BenchModel
  /** TensorFlow.js backend to load; the PyTorch engine ignores it (always CPU). */
  backend: BackendChoice
  batch: number
  /** Images trained, untimed, before anything is measured... */
  warmupImages: number
  /** ...and for at least this long, so that V8's optimizing tier-up of the WASM code is over. */
  warmupSeconds: number
  /** Images timed once after the warm-up to size the rounds (0: no probe). Not part of the results. */
  probeImages: number
}

/** Parent → engine. */
export type EngineCommand =
  | StartCommand
  /** Train `images` (rounded up to whole batches) and time them. */
  | { cmd: 'round'; images: number }
  /** Report the peak RSS and exit. */
  | { cmd: 'quit' }

/** Engine → parent, in answer to `start`. */
export interface EngineReady {
  kind: 'ready'
  /** The backend that actually runs: `wasm`, `cpu`, `tensorflow` or `pytorch`. */
  backend: string
  threads: number
  data: 'real' | 'random'
  /** images/s of the probe after the warm-up; null when no probe was asked. */
  probeImagesPerSec: number | null
  /** The engine library's version (tfjs or torch). */
  version: string
}

/** Engine → parent, in answer to `round`. */
export interface RoundResult {
  kind: 'round'
  /** Images trained (whole batches). */
  images: number
  seconds: number
  imagesPerSec: number
}

/** Engine → parent, in answer to `quit`, just before it exits. */
export interface EngineFinish {
  kind: 'finish'
  peakRssMb: number
  /** Tensors alive now minus after the warm-up (TensorFlow.js only; null for PyTorch). */
  numTensorsGrowth: number | null
}

/** Engine → parent, in answer to any command that failed. */
export interface EngineFailure {
  kind: 'error'
  message: string
}

/** Engine → parent. */
export type EngineReply = EngineReady | RoundResult | EngineFinish | EngineFailure
