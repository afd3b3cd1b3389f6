import { describe, expect, it } from 'vitest'
import type { EpochRecord, RunDetail } from '@shared/run'
import { emaDebiased, smoothSeries } from '@renderer/lib/charts/smoothing'
import { compareCurvesChart } from '@renderer/lib/charts/compareCharts'
import { compareModel } from '@shared/compare-model'
import { curvesChart } from '@renderer/lib/charts/curvesChart'
import { toCsv } from '@renderer/lib/chartExport'

describe('debiased EMA', () => {
  it('divides by 1 − β^t, so the first points are not dragged towards zero', () => {
    // β = 0.5 on 1, 2, 3: raw EMA 0.5, 1.25, 2.125; bias factors 0.5, 0.75, 0.875.
    const s = emaDebiased([1, 2, 3], 0.5)
    expect(s[0]).toBe(1)
    expect(s[1]).toBeCloseTo(1.25 / 0.75, 12)
    expect(s[2]).toBeCloseTo(2.125 / 0.875, 12)
    // A flat curve stays flat from its first point, where a plain EMA would start at (1 − β)·value.
    for (const v of emaDebiased([0.9, 0.9, 0.9, 0.9], 0.95)) expect(v).toBeCloseTo(0.9, 12)
  })

  it('leaves the values alone at weight 0, passes non-finite values through, and refuses weights outside [0, 1)', () => {
    expect(emaDebiased([3, 1, 2], 0)).toEqual([3, 1, 2])
    const s = emaDebiased([1, Number.NaN, 3], 0.5)
    expect(s[1]).toBeNaN()
    // The NaN neither resets nor moves the average: 3 is the second value seen.
    expect(s[2]).toBeCloseTo((0.25 + 1.5) / 0.75, 12)
    expect(() => emaDebiased([1], 1)).toThrow(/\[0, 1\)/)
    expect(() => emaDebiased([1], -0.1)).toThrow()
  })

  it('keeps the raw curve faint behind the smoothed one, under the same name', () => {
    const [smooth, raw] = smoothSeries(
      {
        name: 'x',
        type: 'line',
        data: [
          [1, 1],
          [2, 2]
        ],
        lineStyle: { color: '#123456' }
      },
      0.5
    )
    expect(smooth!.name).toBe('x')
    expect(raw).toMatchObject({
      name: 'x',
      data: [
        [1, 1],
        [2, 2]
      ],
      silent: true,
      lineStyle: { color: '#123456', opacity: 0.35 }
    })
    expect(raw!.z ?? 0).toBeLessThan(2)
    expect(smoothSeries({ name: 'x', type: 'line', data: [[1, 1]] }, 0)).toHaveLength(1)
  })
})

const history: EpochRecord[] = [0.9, 0.5, 0.7, 0.4].map((loss, i) => ({
  epoch: i + 1,
  loss,
  accuracy: 0.8,
  valLoss: loss + 0.1,
  valAccuracy: 0.78,
  learningRate: 1e-3,
  durationMs: 1
}))

describe('smoothed charts carry the setting into their exports', () => {
  it('compare curves: the title names it and the CSV has the smoothed column beside the raw one', () => {
    const model = compareModel({ runs: [{ id: 3, name: 'a', history } as unknown as RunDetail], groups: [] })
    const { option, table } = compareCurvesChart({ model, metric: 'loss', spread: 'std', smoothing: 0.6 })
    expect((option.title as { text: string }).text).toBe('Training loss · smoothed (EMA 0.6)')
    expect(toCsv(table).split('\n')[0]).toBe('epoch,#3 a,#3 a (EMA 0.6)')
    const smoothed = emaDebiased(
      history.map((h) => h.loss),
      0.6
    )
    expect(table.rows.map((r) => r[2])).toEqual(smoothed)
    expect(table.rows.map((r) => r[1])).toEqual(history.map((h) => h.loss))
    expect((option.series as unknown[]).length).toBe(2)
    const plain = compareCurvesChart({ model, metric: 'loss', spread: 'std' })
    expect((plain.option.title as { text: string }).text).toBe('Training loss')
    expect(plain.table.header).toEqual(['epoch', '#3 a'])
  })

  it('compare curves: a group’s mean is smoothed, its band keeps the recorded spread', () => {
    const member = (id: number, shift: number) =>
      ({ id, history: history.map((h) => ({ ...h, loss: h.loss + shift })) }) as unknown as RunDetail
    const model = compareModel({ runs: [], groups: [{ id: 1, name: 'seeds', members: [member(1, 0), member(2, 0.1)] }] })
    const { option, table } = compareCurvesChart({ model, metric: 'loss', spread: 'minmax', smoothing: 0.5 })
    const series = option.series as Array<{ name: string; type: string; data: number[][] }>
    const means = history.map((h) => h.loss + 0.05)
    const mean = series.find((x) => x.type === 'line' && x.name === 'g1 seeds')!
    emaDebiased(means, 0.5).forEach((v, i) => expect(mean.data[i]![1]).toBeCloseTo(v, 12))
    expect(table.header.at(-1)).toBe('g1 seeds mean (EMA 0.5)')
    // min and max columns stay the recorded ones.
    expect(table.rows.map((r) => r[3])).toEqual(history.map((h) => h.loss))
  })

  it('run curves: smoothed train and val first (marks intact), raw faint copies last', () => {
    const { option, table } = curvesChart({ title: 'r — loss', metric: 'loss', history, live: [], smoothing: 0.5 })
    const series = option.series as Array<{ name: string; data: number[][]; markPoint?: unknown; silent?: boolean }>
    expect(series.map((s) => s.name)).toEqual(['train loss', 'val loss', 'train loss', 'val loss'])
    expect(series[1]!.markPoint).toBeDefined()
    expect(series[2]!.silent).toBe(true)
    expect(series[0]!.data.map((p) => p[1])).toEqual(
      emaDebiased(
        history.map((h) => h.loss),
        0.5
      )
    )
    expect(table.header).toEqual(['epoch', 'train_loss', 'val_loss', 'learning_rate', 'train_loss_ema0.5', 'val_loss_ema0.5'])
    expect((option.title as { text: string }).text).toBe('r — loss · smoothed (EMA 0.5)')
  })
})
