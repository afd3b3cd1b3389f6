/**
 * How long a run is likely to train on this machine, from what past runs of its preset took here.
 * No built-in figures: with no completed run of the preset in this store there is no estimate.
 */
import type { Hparams } from '@shared/hparams'
import type { RunEstimate } from '@shared/run'

/** One completed run's recorded training: how many epochs over how many images, and how long they took. */
export interface ThroughputSample {
  /** Images per epoch (training plus validation: the subset, or the whole training set). */
  imagesPerEpoch: number
  epochs: number
  /** Sum of the recorded epoch durations. */
  ms: number
  batchSize: number
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Seconds of training for `h` at the median time per image of `samples` (those with the same batch size
 * when there are any, since batch size changes the speed); null seconds when there is no sample.
 * `trainCount` is the size of the training set (the pool a subset is drawn from).
 */
export function estimateRun(h: Hparams, samples: readonly ThroughputSample[], trainCount: number): RunEstimate {
  const usable = samples.filter((s) => s.epochs > 0 && s.imagesPerEpoch > 0 && s.ms > 0)
  const sameBatch = usable.filter((s) => s.batchSize === h.batchSize)
  const basis = sameBatch.length ? sameBatch : usable
  if (!basis.length) return { seconds: null, basedOnRuns: 0, mayStopEarly: h.earlyStopping.enabled }
  const msPerImage = median(basis.map((s) => s.ms / (s.epochs * s.imagesPerEpoch)))
  const images = Math.min(h.trainSubset ?? trainCount, trainCount)
  return { seconds: (h.epochs * images * msPerImage) / 1000, basedOnRuns: basis.length, mayStopEarly: h.earlyStopping.enabled }
}
