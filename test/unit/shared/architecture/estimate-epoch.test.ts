import { describe, expect, it } from 'vitest'
import { estimateEpochSeconds, TRAINING_MACS_PER_SECOND } from '@shared/architecture/estimate-epoch'

describe('estimateEpochSeconds', () => {
  it('scales with multiply-adds and images, from the measured rate', () => {
    expect(estimateEpochSeconds(TRAINING_MACS_PER_SECOND, 1)).toBe(1)
    expect(estimateEpochSeconds(2 * TRAINING_MACS_PER_SECOND, 3)).toBe(6)
    // cnn-shallow on Fashion-MNIST's 54,000 training images (after the 10% validation split): the
    // bench measured 648 images/s, 83 s an epoch, which is where the constant comes from.
    expect(estimateEpochSeconds(2_631_040, 54_000)).toBeCloseTo(54_000 / 647.6, -1)
  })
})
