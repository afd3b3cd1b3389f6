/** Tracks a monitored validation metric for early stopping and learning-rate reduction. */
import type { Monitor } from '@shared/hparams'
import type { EpochRecord } from '@shared/run'

/** Reads the monitored value from an epoch and says whether higher is better. */
export function monitoredValue(record: EpochRecord, monitor: Monitor): number {
  return monitor === 'val_loss' ? record.valLoss : record.valAccuracy
}

/** Counts epochs without improvement of a metric, as Keras' callbacks do (min_delta 0). */
export class PlateauTracker {
  best = Number.NaN
  bestEpoch = 0
  /** Epochs since the last improvement. */
  wait = 0

  constructor(private readonly monitor: Monitor) {}

  /** Records an epoch; returns true when it improved on the best so far. */
  observe(record: EpochRecord): boolean {
    const value = monitoredValue(record, this.monitor)
    const better = Number.isNaN(this.best) || (this.monitor === 'val_loss' ? value < this.best : value > this.best)
    if (better) {
      this.best = value
      this.bestEpoch = record.epoch
      this.wait = 0
    } else {
      this.wait++
    }
    return better
  }

  /** Starts counting afresh, e.g. after the learning rate was lowered. */
  resetWait(): void {
    this.wait = 0
  }
}
