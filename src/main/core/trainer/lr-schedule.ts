/**
 * Learning-rate schedules as pure functions of the global step, so a resumed run sets exactly the
 * rates the uninterrupted run set. The result multiplies the current learning rate (the initial one,
 * or what reduce-on-plateau lowered it to), so the two compose.
 */
import type { ScheduleName } from '@shared/recipe'

export interface ScheduleOptions {
  schedule: ScheduleName
  /** Epochs of linear warmup at the start (0: none). */
  warmupEpochs: number
  /** The run's planned epochs. */
  epochs: number
  /** Gradient steps per epoch. */
  batchesPerEpoch: number
}

/** True when every step runs at the plain learning rate (constant, no warmup): the trainer then never touches it. */
export const isConstant = (o: Pick<ScheduleOptions, 'schedule' | 'warmupEpochs'>): boolean =>
  o.schedule === 'constant' && o.warmupEpochs === 0

/** One-cycle (Smith; PyTorch's OneCycleLR defaults): 30 % rising from lr/25 to lr, then annealing to lr/25e4. */
const ONE_CYCLE_RISE = 0.3
const ONE_CYCLE_START = 1 / 25
const ONE_CYCLE_END = ONE_CYCLE_START / 1e4

/** Cosine interpolation from `a` (t = 0) to `b` (t = 1). */
const cosineFromTo = (a: number, b: number, t: number): number => b + ((a - b) * (1 + Math.cos(Math.PI * t))) / 2

/**
 * The multiplier of the learning rate at global step `step` (0-based over the whole run). Warmup rises
 * linearly over its steps to 1 (its first step at 1 / warmup steps); the schedule then runs over the
 * remaining steps: `step` ×0.1 at half and again at three quarters, `cosine` from 1 to 0, `onecycle`
 * as above, `constant` 1.
 */
export function learningRateMultiplier(o: ScheduleOptions, step: number): number {
  const total = o.epochs * o.batchesPerEpoch
  const warmup = Math.min(o.warmupEpochs * o.batchesPerEpoch, total)
  if (step < warmup) return (step + 1) / warmup
  const span = Math.max(1, total - warmup)
  const t = Math.min(1, (step - warmup) / span)
  switch (o.schedule) {
    case 'constant':
      return 1
    case 'step':
      return t >= 0.75 ? 0.01 : t >= 0.5 ? 0.1 : 1
    case 'cosine':
      return cosineFromTo(1, 0, t)
    case 'onecycle':
      return t < ONE_CYCLE_RISE
        ? cosineFromTo(ONE_CYCLE_START, 1, t / ONE_CYCLE_RISE)
        : cosineFromTo(1, ONE_CYCLE_END, (t - ONE_CYCLE_RISE) / (1 - ONE_CYCLE_RISE))
  }
}
