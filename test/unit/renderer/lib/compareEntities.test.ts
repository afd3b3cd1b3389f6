import { describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { RunDetail } from '@shared/run'
import { compareModel, entityTestAccuracy, meanCurve } from '@renderer/lib/compareEntities'
import { makeRun } from '../fixtures/fakeAtelier'
import { builtinRef } from '@shared/dataset'

function run(id: number, losses: number[], testAccuracy: number | null): RunDetail {
  return {
    ...makeRun({ id }),
    hparams: defaultHparams('dense'),
    notes: '',
    seed: id,
    datasetChecksum: null,
    dataset: builtinRef('fashion-mnist')!,
    backendInfo: null,
    appVersion: 't',
    history: losses.map((loss, i) => ({ epoch: i + 1, loss, accuracy: 0, valLoss: 0, valAccuracy: 0, learningRate: 0.001, durationMs: 1 })),
    metrics: testAccuracy === null ? null : { testAccuracy, testLoss: 0.4, perClass: [], confusion: [] },
    resumePoints: []
  }
}

describe('compare entities', () => {
  it('averages a group’s curve per epoch over the members that reached it', () => {
    const curve = meanCurve([run(1, [1, 0.5, 0.3], 0.8), run(2, [3, 0.7], 0.84)], 'loss')
    expect(curve.map((p) => [p.epoch, p.n, p.mean, p.min, p.max])).toEqual([
      [1, 2, 2, 1, 3],
      [2, 2, 0.6, 0.5, 0.7],
      [3, 1, 0.3, 0.3, 0.3]
    ])
    expect(curve[0]!.std).toBeCloseTo(Math.SQRT2, 12)
    expect(curve[2]!.std).toBeNull()
  })

  it('gives runs and groups distinct, order-independent colours and the spread of finished members', () => {
    const group = { id: 1, name: 'g', members: [run(5, [1], 0.8), run(6, [1], null), run(7, [1], 0.9)] }
    const colors = (runs: RunDetail[]) => new Map(compareModel({ runs, groups: [group] }).entities.map((e) => [e.key, e.color]))
    expect(colors([run(5, [1], 0.8), run(9, [1], 0.7)])).toEqual(colors([run(9, [1], 0.7), run(5, [1], 0.8)]))
    expect(new Set(colors([run(5, [1], 0.8)]).values()).size).toBe(2)
    const model = compareModel({ runs: [run(5, [1], 0.8)], groups: [group] })
    expect(entityTestAccuracy(model.entities[1]!)).toMatchObject({ n: 2, min: 0.8, max: 0.9 })
    expect(model.testAccuracy[1]).toMatchObject({
      key: 'g1',
      spread: { n: 2, min: 0.8, max: 0.9 },
      members: [
        { runId: 5, accuracy: 0.8 },
        { runId: 7, accuracy: 0.9 }
      ]
    })
  })
})

describe('zoomed accuracy axis', () => {
  it('spans the values on a round step, inside 0–100 %', async () => {
    const { zoomedAxis } = await import('@renderer/lib/charts/compareCharts')
    expect(zoomedAxis(0.585, 0.695)).toEqual({ floor: 0.56, ceiling: 0.72, step: 0.02 })
    expect(zoomedAxis(0.9, 0.995)).toMatchObject({ ceiling: 1 })
    const { floor, ceiling, step } = zoomedAxis(0.8812, 0.8843)
    expect([floor, ceiling, step]).toEqual([0.87, 0.895, 0.005])
  })
})
