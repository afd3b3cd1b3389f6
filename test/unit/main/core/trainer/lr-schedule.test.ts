/** Learning-rate schedules: what rate each step gets, as a pure function of the step. */
import { describe, expect, it } from 'vitest'
import { isConstant, learningRateMultiplier, type ScheduleOptions } from '@main/core/trainer/lr-schedule'

const at = (o: Partial<ScheduleOptions>, steps: number[]) =>
  steps.map((s) => learningRateMultiplier({ schedule: 'constant', warmupEpochs: 0, epochs: 10, batchesPerEpoch: 10, ...o }, s))

describe('learningRateMultiplier', () => {
  it('keeps the rate with constant and no warmup (the trainer then leaves it alone)', () => {
    expect(at({}, [0, 50, 99])).toEqual([1, 1, 1])
    expect(isConstant({ schedule: 'constant', warmupEpochs: 0 })).toBe(true)
    expect(isConstant({ schedule: 'constant', warmupEpochs: 1 })).toBe(false)
  })

  it('warms up linearly over the warmup epochs, reaching the full rate on their last step', () => {
    expect(at({ warmupEpochs: 2 }, [0, 9, 19, 20])).toEqual([1 / 20, 10 / 20, 1, 1])
  })

  it('steps down ×0.1 at half and ×0.01 at three quarters of the steps after warmup', () => {
    expect(at({ schedule: 'step', warmupEpochs: 2 }, [20, 59, 60, 79, 80, 99])).toEqual([1, 1, 0.1, 0.1, 0.01, 0.01])
  })

  it('anneals along a cosine from 1 towards 0', () => {
    const [first, mid, last] = at({ schedule: 'cosine' }, [0, 50, 99])
    expect(first).toBe(1)
    expect(mid).toBeCloseTo(0.5, 12)
    expect(last).toBeGreaterThan(0)
    expect(last).toBeLessThan(0.001)
  })

  it('one-cycle rises from 1/25 to 1 over 30 % of the steps, then falls far below the start', () => {
    const [start, peak, end] = at({ schedule: 'onecycle' }, [0, 30, 99])
    expect(start).toBeCloseTo(1 / 25, 12)
    expect(peak).toBeCloseTo(1, 12)
    expect(end).toBeLessThan(0.001)
  })

  it('is a pure function of the step: the same step always gets the same rate', () => {
    expect(at({ schedule: 'onecycle', warmupEpochs: 1 }, [37, 37])).toEqual(at({ schedule: 'onecycle', warmupEpochs: 1 }, [37, 37]))
  })
})
