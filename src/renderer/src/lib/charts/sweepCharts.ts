/** The charts of a sweep: parallel coordinates (one line per run) and one hyperparameter against test accuracy. */
import type { EChartsOption } from 'echarts'
import type { SweepRunPoint } from '@shared/group'
import type { ChartTable } from '@renderer/lib/chartExport'

export const SWEPT = ['learningRate', 'batchSize', 'epochs', 'validationSplit', 'seed'] as const
export type SweptKey = (typeof SWEPT)[number]
export const SWEPT_LABELS: Record<SweptKey, string> = {
  learningRate: 'learning rate',
  batchSize: 'batch size',
  epochs: 'epochs',
  validationSplit: 'validation split',
  seed: 'seed'
}

/** Runs with a test result, the only ones a chart of test accuracy can place. */
export const finishedPoints = (points: readonly SweepRunPoint[]): SweepRunPoint[] =>
  points.filter((p) => p.testAccuracy !== null && Number.isFinite(p.testAccuracy))

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`

/** Colours test accuracy from low (blue) to high (yellow): viridis ends, legible on both themes. */
function accuracyScale(points: readonly SweepRunPoint[], dimension: number): NonNullable<EChartsOption['visualMap']> {
  const values = points.map((p) => p.testAccuracy!)
  const min = values.length ? Math.min(...values) : 0
  const max = values.length ? Math.max(...values) : 1
  return {
    type: 'continuous',
    dimension,
    min,
    // A single finished run (or equal accuracies) still needs a non-empty range.
    max: max > min ? max : min + 1e-6,
    calculable: true,
    orient: 'vertical',
    right: 8,
    top: 'middle',
    text: ['test acc', ''],
    formatter: (v: unknown) => pct(Number(v)),
    inRange: { color: ['#440154', '#31688e', '#35b779', '#fde725'] }
  }
}

function table(points: readonly SweepRunPoint[]): ChartTable {
  return {
    header: ['run_id', ...SWEPT, 'test_accuracy'],
    rows: points.map((p) => [p.runId, ...SWEPT.map((k) => p[k]), p.testAccuracy])
  }
}

/** One line per finished run across the swept hyperparameters and test accuracy; `runIdAt(i)` maps a clicked line to its run. */
export function sweepParallelChart(points: readonly SweepRunPoint[]): { option: EChartsOption; table: ChartTable; runIdAt: (i: number) => number | undefined } {
  const done = finishedPoints(points)
  const axes = [...SWEPT.map((k) => SWEPT_LABELS[k]), 'test accuracy']
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    title: { text: 'Every run across the swept values', left: 'center', textStyle: { fontSize: 14 } },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const i = (p as { dataIndex: number }).dataIndex
        const d = done[i]
        return d ? `run #${d.runId}<br/>lr ${d.learningRate} · batch ${d.batchSize} · ${d.epochs} ep · val ${d.validationSplit} · seed ${d.seed}<br/>test accuracy ${pct(d.testAccuracy!)}` : ''
      }
    },
    parallel: { left: 64, right: 110, top: 60, bottom: 36 },
    parallelAxis: axes.map((name, dim) => ({
      dim,
      name,
      // Learning rates are searched on a log scale, so they are drawn on one.
      type: dim === 0 ? 'log' : 'value',
      scale: true,
      nameTextStyle: { fontSize: 12 },
      axisLabel: dim === axes.length - 1 ? { formatter: (v: number) => pct(v) } : undefined
    })),
    visualMap: accuracyScale(done, axes.length - 1),
    series: [
      {
        name: 'runs',
        type: 'parallel',
        lineStyle: { width: 2.5, opacity: 0.85 },
        emphasis: { lineStyle: { width: 4, opacity: 1 } },
        data: done.map((p) => [...SWEPT.map((k) => p[k]), p.testAccuracy!])
      }
    ]
  }
  return { option, table: table(done), runIdAt: (i) => done[i]?.runId }
}

/** One hyperparameter against test accuracy, a point per finished run. */
export function sweepScatterChart(
  points: readonly SweepRunPoint[],
  x: SweptKey
): { option: EChartsOption; table: ChartTable; runIdAt: (i: number) => number | undefined } {
  const done = finishedPoints(points)
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    title: { text: `${SWEPT_LABELS[x]} vs test accuracy`, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const d = done[(p as { dataIndex: number }).dataIndex]
        return d ? `run #${d.runId} · ${SWEPT_LABELS[x]} ${d[x]}<br/>test accuracy ${pct(d.testAccuracy!)}` : ''
      }
    },
    grid: { left: 72, right: 110, top: 48, bottom: 52 },
    xAxis: { type: x === 'learningRate' ? 'log' : 'value', name: SWEPT_LABELS[x], nameLocation: 'middle', nameGap: 30, scale: true },
    yAxis: { type: 'value', name: 'test accuracy', scale: true, axisLabel: { formatter: (v: number) => pct(v) } },
    visualMap: accuracyScale(done, 1),
    series: [
      {
        name: 'runs',
        type: 'scatter',
        symbolSize: 12,
        itemStyle: { borderColor: '#888888', borderWidth: 1 },
        data: done.map((p) => [p[x], p.testAccuracy!])
      }
    ]
  }
  return { option, table: table(done), runIdAt: (i) => done[i]?.runId }
}
