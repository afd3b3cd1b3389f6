import { describe, expect, it } from 'vitest'
import type { SweepRunPoint } from '@shared/group'
import { sweepParallelChart, sweepScatterChart, sweptAxis, varyingKeys } from '@renderer/lib/charts/sweepCharts'

const point = (runId: number, learningRate: number, batchSize: number, testAccuracy: number): SweepRunPoint => ({
  runId,
  groupId: null,
  status: 'completed',
  learningRate,
  batchSize,
  epochs: 1,
  validationSplit: 0.1,
  optimizer: 'adam',
  schedule: 'constant',
  augment: { shift: 0, flip: false, erase: 0 },
  model: 'dense',
  seed: 42,
  testAccuracy,
  bestValAccuracy: testAccuracy
})

// A 3 × 2 grid: learning rates 0.0003, 0.000949, 0.003 (log-spaced) and batch sizes 32, 64.
const grid = [0.0003, 0.000949, 0.003].flatMap((lr, i) => [
  point(2 * i + 1, lr, 32, 0.8 + i / 100),
  point(2 * i + 2, lr, 64, 0.79 + i / 100)
])

type Axis = { type: string; data?: string[]; min?: number; max?: number; axisLabel?: { formatter?: (v: number) => string } }

describe('sweep chart axes', () => {
  it('draws batch sizes as two categories, 32 and 64, never a range 30–65', () => {
    const axes = sweepParallelChart(grid).option.parallelAxis as Axis[]
    const batch = axes[1]!
    expect(batch.type).toBe('category')
    expect(batch.data).toEqual(['32', '64'])
    const scatter = sweepScatterChart(grid, 'batchSize').option.xAxis as Axis
    expect(scatter.type).toBe('category')
    expect(scatter.data).toEqual(['32', '64'])
  })

  it('puts a tick at each swept learning rate of a grid, not one lone 0.001', () => {
    const lr = (sweepParallelChart(grid).option.parallelAxis as Axis[])[0]!
    expect(lr.data).toEqual(['0.0003', '0.000949', '0.003'])
    const series = (sweepParallelChart(grid).option.series as Array<{ data: unknown[][] }>)[0]!
    expect(series.data[0]!.slice(0, 2)).toEqual(['0.0003', '32'])
  })

  it('labels randomly drawn learning rates on a log axis with several readable ticks', () => {
    const axis = sweptAxis('learningRate', [0.00013, 0.0004, 0.0021, 0.0071, 0.0009])
    expect(axis.type).toBe('value')
    expect(axis.toData(0.001)).toBeCloseTo(-3, 12)
    // Ticks ECharts would put at every half decade inside the range read as plain numbers.
    const ticks = [-3.5, -3, -2.5].filter((t) => t > axis.min! && t < axis.max!)
    expect(ticks.map((t) => axis.axisLabel.formatter!(t))).toEqual(['0.00032', '0.001', '0.0032'])
  })

  it('draws a swept optimizer, augmentation or model as named categories, and only when it varies', () => {
    expect(varyingKeys(grid)).toEqual(['learningRate', 'batchSize'])
    const sgd = {
      ...point(7, 0.003, 64, 0.7),
      optimizer: 'sgd' as const,
      augment: { shift: 2, flip: true, erase: 0 },
      model: 'custom: <b>'
    }
    const points = [...grid, sgd]
    expect(varyingKeys(points)).toEqual(['learningRate', 'batchSize', 'optimizer', 'augment', 'model'])
    const axes = sweepParallelChart(points).option.parallelAxis as Axis[]
    expect(axes.map((a) => a.data)).toContainEqual(['adam', 'sgd'])
    expect(axes.map((a) => a.data)).toContainEqual(['none', 'shift 2 px, flip'])
    const { table } = sweepScatterChart(points, 'optimizer')
    expect(table.header).toContain('optimizer')
    expect(table.rows.at(-1)).toContain('shift 2 px, flip')
    const tooltip = (sweepParallelChart(points).option.tooltip as { formatter: (p: unknown) => string }).formatter({ dataIndex: 6 })
    expect(tooltip).toContain('optimizer sgd')
    // An architecture's name is the author's text, never markup.
    expect(tooltip).toContain('model custom: &lt;b&gt;')
  })
})
