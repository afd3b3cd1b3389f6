import { describe, expect, it } from 'vitest'
import { PlateauTracker } from '@main/core/trainer/plateau'
import type { EpochRecord } from '@shared/run'

const epoch = (n: number, valLoss: number, valAccuracy = 0.5): EpochRecord => ({
  epoch: n,
  loss: 1,
  accuracy: 0.5,
  valLoss,
  valAccuracy,
  learningRate: 0.001,
  durationMs: 1
})

describe('PlateauTracker', () => {
  it('counts epochs without a lower val_loss and remembers the best epoch', () => {
    const t = new PlateauTracker('val_loss')
    expect(t.observe(epoch(1, 0.5))).toBe(true)
    expect(t.observe(epoch(2, 0.4))).toBe(true)
    expect(t.observe(epoch(3, 0.45))).toBe(false)
    expect(t.observe(epoch(4, 0.4))).toBe(false)
    expect(t.wait).toBe(2)
    expect(t.bestEpoch).toBe(2)
    t.resetWait()
    expect(t.wait).toBe(0)
  })

  it('treats higher as better for val_accuracy', () => {
    const t = new PlateauTracker('val_accuracy')
    t.observe(epoch(1, 9, 0.8))
    expect(t.observe(epoch(2, 9, 0.7))).toBe(false)
    expect(t.observe(epoch(3, 9, 0.85))).toBe(true)
    expect(t.bestEpoch).toBe(3)
  })
})
