import { describe, expect, it } from 'vitest'
import { estimateEpochSeconds, TRAINING_MACS_PER_SECOND } from '@shared/architecture/estimate-epoch'

describe('estimateEpochSeconds', () => {
  it('scales with multiply-adds and images, from the measured rate', () => {
    expect(estimateEpochSeconds(TRAINING_MACS_PER_SECOND, 1)).toBe(1)
    expect(estimateEpochSeconds(2 * TRAINING_MACS_PER_SECOND, 3)).toBe(6)
    // cnn-shallow on 59,400 Fashion-MNIST training images took 26.6 s on the development machine
    // (README, "Training speed"); the estimate is within a third of that.
    const estimate = estimateEpochSeconds(2_631_040, 59_400)
    expect(estimate).toBeGreaterThan(26.6 / 1.33)
    expect(estimate).toBeLessThan(26.6 * 1.33)
  })
})
