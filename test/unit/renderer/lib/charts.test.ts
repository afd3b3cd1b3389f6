import { describe, expect, it } from 'vitest'
import type { EpochRecord } from '@shared/run'
import { bestValEpoch, curvesChart, lrReductions } from '@renderer/lib/charts/curvesChart'
import { confusionChart } from '@renderer/lib/charts/confusionChart'
import { dataUrlToBytes, toCsv } from '@renderer/lib/chartExport'
import { gridWindow } from '@renderer/lib/virtualGrid'

const rec = (epoch: number, valLoss: number, valAccuracy: number, learningRate: number): EpochRecord => ({
  epoch,
  loss: 1 / epoch,
  accuracy: 0.5 + epoch / 100,
  valLoss,
  valAccuracy,
  learningRate,
  durationMs: 1000
})
const history = [rec(1, 0.6, 0.8, 1e-3), rec(2, 0.5, 0.84, 1e-3), rec(3, 0.55, 0.86, 5e-4), rec(4, 0.52, 0.85, 2.5e-4)]

describe('run curves', () => {
  it('marks learning-rate reductions and the best validation epoch', () => {
    expect(lrReductions(history).map((r) => r.epoch)).toEqual([3, 4])
    expect(bestValEpoch(history, 'loss')?.epoch).toBe(2)
    expect(bestValEpoch(history, 'accuracy')?.epoch).toBe(3)
    const { option } = curvesChart({ title: 't', metric: 'accuracy', history, live: [] })
    const series = option.series as Array<{
      markLine?: { data: Array<{ xAxis: number }> }
      markPoint?: { data: Array<{ coord: number[] }> }
    }>
    expect(series[1].markLine?.data.map((d) => d.xAxis)).toEqual([3, 4])
    expect(series[1].markPoint?.data[0].coord).toEqual([3, 0.86])
  })

  it('marks where training resumed and where it was trained further, between the epochs on either side', () => {
    const { option } = curvesChart({
      title: 't',
      metric: 'loss',
      history,
      live: [],
      resumePoints: [
        { kind: 'resumed', afterEpoch: 1, at: '2025-01-01T00:00:00.000Z', previousTestAccuracy: null, previousTestLoss: null },
        { kind: 'extended', afterEpoch: 3, at: '2025-01-02T00:00:00.000Z', previousTestAccuracy: 0.8, previousTestLoss: 0.5 }
      ]
    })
    const series = option.series as Array<{ markLine?: { data: Array<{ name: string; xAxis: number }> } }>
    expect(series[0].markLine?.data).toEqual([
      { name: 'resumed', xAxis: 1.5 },
      { name: 'trained further', xAxis: 3.5 }
    ])
    expect(curvesChart({ title: 't', metric: 'loss', history, live: [] }).option.series).toMatchObject([{ markLine: { data: [] } }, {}])
  })

  it('continues the train curve inside the running epoch and exports it as CSV rows', () => {
    const live = [{ x: 4.5, loss: 0.2, accuracy: 0.9 }]
    const { option, table } = curvesChart({ title: 't', metric: 'loss', history, live })
    const running = (option.series as Array<{ data: number[][] }>)[2].data
    expect(running).toEqual([
      [4, 0.25],
      [4.5, 0.2]
    ])
    expect(table.rows.at(-1)).toEqual([4.5, 0.2, null, null])
    expect(toCsv(table).split('\n')[0]).toBe('epoch,train_loss,val_loss,learning_rate')
  })

  it('drops the running-epoch curve from the legend and the export once the run has stopped', () => {
    const live = [{ x: 4.5, loss: 0.2, accuracy: 0.9 }]
    const { option, table } = curvesChart({ title: 't', metric: 'loss', history, live, running: false })
    const names = (option.series as Array<{ name: string }>).map((s) => s.name)
    expect(names).toEqual(['train loss', 'val loss'])
    expect(table.rows).toHaveLength(history.length)
  })
})

describe('export helpers', () => {
  it('decodes a PNG data URL to bytes and quotes CSV cells that need it', () => {
    expect([...dataUrlToBytes('data:image/png;base64,iVBORw==')]).toEqual([0x89, 0x50, 0x4e, 0x47])
    expect(toCsv({ header: ['a', 'b'], rows: [['x,y', 'say "hi"']] })).toBe('a,b\n"x,y","say ""hi"""\n')
  })
})

describe('virtual gallery window', () => {
  it('renders only the rows in view for 10,000 thumbnails', () => {
    const w = gridWindow({ count: 10_000, width: 800, height: 400, scrollTop: 5000, cellWidth: 80, rowHeight: 100 })
    expect(w.columns).toBe(10)
    expect(w.totalRows).toBe(1000)
    expect(w.end - w.start).toBeLessThanOrEqual(10 * 9)
    expect(w.start).toBe(48 * 10)
  })
})

describe('confusion heatmap colours', () => {
  // Perceived brightness of a #rrggbb colour, 0 (black) … 1 (white), on the encoded values.
  const luminance = (hex: string): number => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const range = (dark: boolean, mode: 'counts' | 'diff'): string[] => {
    const { option } = confusionChart({
      title: 't',
      matrix: [
        [5, 1],
        [2, 7]
      ],
      mode,
      dark
    })
    return (option.visualMap as { inRange: { color: string[] } }).inRange.color
  }

  it('starts from near-white on light and near-black on dark, so empty cells match the background', () => {
    expect(luminance(range(false, 'counts')[0])).toBeGreaterThan(0.9)
    expect(luminance(range(true, 'counts')[0])).toBeLessThan(0.2)
    // High counts stand out against each background.
    expect(luminance(range(true, 'counts').at(-1)!)).toBeGreaterThan(0.5)
    expect(luminance(range(false, 'counts').at(-1)!)).toBeLessThan(0.3)
  })

  it('keeps the neutral middle of the difference scale close to the background', () => {
    expect(luminance(range(false, 'diff')[1])).toBeGreaterThan(0.9)
    expect(luminance(range(true, 'diff')[1])).toBeLessThan(0.2)
  })
})

describe('live curves frame', () => {
  it('spans the planned epochs while running and fits the data once finished', () => {
    const history = [{ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, learningRate: 0.001, durationMs: 1 }]
    const live = [{ x: 1.5, loss: 0.8, accuracy: 0.6 }]
    const running = curvesChart({ title: 't', metric: 'loss', history, live, running: true, epochsPlanned: 10 })
    expect((running.option.xAxis as { max?: number }).max).toBe(10)
    const done = curvesChart({ title: 't', metric: 'loss', history, live: [], running: false, epochsPlanned: 10 })
    // A finished one-epoch run still gets an axis 1…2; a longer one ends at its last epoch.
    expect((done.option.xAxis as { max?: number }).max).toBe(2)
  })

  it('starts the epoch axis at 1 and leaves room for the best-epoch pin at the right edge', () => {
    const { option } = curvesChart({ title: 't', metric: 'accuracy', history, live: [] })
    const x = option.xAxis as { min?: number; max?: number }
    expect(x.min).toBe(1)
    expect(x.max).toBe(4)
    // The pin is 40 px wide, centred on its epoch: half of it must fit right of the plot.
    expect((option.grid as { right: number }).right).toBeGreaterThanOrEqual(20 + 12)
  })
})

describe('colour bars', () => {
  it('say in numbers what their ends mean', () => {
    const matrix = [
      [90, 10],
      [5, 95]
    ]
    const counts = confusionChart({ title: 't', matrix, mode: 'counts' }).option.visualMap as { text: string[] }
    expect(counts.text).toEqual(['95', '0'])
    const diff = confusionChart({
      title: 't',
      matrix: [
        [3, -2],
        [0, 1]
      ],
      mode: 'diff'
    }).option.visualMap as { text: string[] }
    expect(diff.text).toEqual(['B gains 3', 'A gains 3'])
  })
})
