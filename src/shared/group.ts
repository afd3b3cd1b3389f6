/** Groups (runs that share every hyperparameter but the seed) and sweeps, as stored and shown. */
import type { Hparams, RunPreset } from './hparams'
import type { PresetId } from './presets'
import type { RunDetail, RunStatus } from './run'
import type { Spread } from './spread'
import type { SweepSpec } from './sweep'
import type { SweepConfig } from './sweep-config'

/** How many seeds a repeat may ask for. */
export const MIN_REPEATS = 2
export const MAX_REPEATS = 20

/** One row of the group list. */
export interface GroupSummary {
  id: number
  name: string
  preset: RunPreset
  createdAt: string
  /** The sweep that created the group, if any. */
  sweepId: number | null
  /** Member run ids, in seed order. */
  memberIds: number[]
  /** Member seeds, in the same order (base seed, base + 1, …). */
  seeds: number[]
  /** Member statuses, in the same order. */
  statuses: RunStatus[]
  /** The shared hyperparameters, with the first member's seed. */
  hparams: Hparams
  /** Test accuracy over the members that finished (sample std, n − 1). */
  testAccuracy: Spread | null
  /** Best validation accuracy over the members that have one (sample std, n − 1). */
  bestValAccuracy: Spread | null
}

/** A group with its members' full records (history, metrics). */
export interface GroupDetail extends GroupSummary {
  members: RunDetail[]
}

/** One run of a sweep, with its configuration (every value a sweep may vary, swept or not). */
export interface SweepRunPoint extends SweepConfig {
  runId: number
  groupId: number | null
  status: RunStatus
  seed: number
  testAccuracy: number | null
  bestValAccuracy: number | null
}

/** The best configuration of a sweep, by mean test accuracy over its seeds. */
export interface SweepBest extends SweepConfig {
  /** Test accuracy over the configuration's finished seeds. */
  testAccuracy: Spread
  /** The configuration's group, when it was repeated over seeds. */
  groupId: number | null
  /** Its best single run. */
  runId: number
}

/** One row of the sweep list. */
export interface SweepSummary {
  id: number
  name: string
  /** The preset whose defaults every run starts from (the spec's `presets` and `architectures` say which models it trains). */
  preset: PresetId
  createdAt: string
  spec: SweepSpec
  runCount: number
  completedCount: number
  best: SweepBest | null
}

/** A sweep with every run's swept values and result. */
export interface SweepDetail extends SweepSummary {
  runs: SweepRunPoint[]
}
