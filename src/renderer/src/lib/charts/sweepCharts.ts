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

/** Colours test accuracy from low (blue) to high (yellow): the middle of viridis, whose ends vanish on one theme or the other. */
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
    right: 16,
    top: 'middle',
    itemHeight: 160,
    text: ['test acc', ''],
    formatter: (v: unknown) => pct(Number(v)),
    inRange: { color: ['#3b528b', '#21918c', '#5ec962', '#e0c21b'] }
  }
}

function table(points: readonly SweepRunPoint[]): ChartTable {
  return {
    header: ['run_id', ...SWEPT, 'test_accuracy'],
    rows: points.map((p) => [p.runId, ...SWEPT.map((k) => p[k]), p.testAccuracy])
  }
}

/** The swept hyperparameters that take more than one value (learning rate when none does). */
export function varyingKeys(points: readonly SweepRunPoint[]): SweptKey[] {
  const keys = SWEPT.filter((k) => new Set(points.map((p) => p[k])).size > 1)
  return keys.length ? keys : ['learningRate']
}

/** Log axes need an explicit range: a little beyond the data on each side. */
const logRange = (values: number[]) => ({
  min: Math.min(...values) / 1.6,
  max: Math.max(...values) * 1.6,
  // The padded ends are not round numbers worth reading.
  axisLabel: { showMinLabel: false, showMaxLabel: false }
})

/**
 * One line per finished run across the hyperparameters the sweep varied and test accuracy (constant
 * ones add only flat segments); `runIdAt(i)` maps a clicked line to its run.
 */
export function sweepParallelChart(points: readonly SweepRunPoint[]): { option: EChartsOption; table: ChartTable; runIdAt: (i: number) => number | undefined } {
  const done = finishedPoints(points)
  const keys = varyingKeys(points)
  const last = keys.length
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const i = (p as { dataIndex: number }).dataIndex
        const d = done[i]
        return d ? `run #${d.runId}<br/>lr ${d.learningRate} · batch ${d.batchSize} · ${d.epochs} ep · val ${d.validationSplit} · seed ${d.seed}<br/>test accuracy ${pct(d.testAccuracy!)}` : ''
      }
    },
    parallel: { left: 72, right: 210, top: 48, bottom: 36 },
    parallelAxis: [
      ...keys.map((k, dim) => ({
        dim,
        name: SWEPT_LABELS[k],
        // Learning rates are searched on a log scale, so they are drawn on one.
        ...(k === 'learningRate' && done.length ? { type: 'log' as const, ...logRange(done.map((p) => p.learningRate)) } : { type: 'value' as const, scale: true }),
        nameTextStyle: { fontSize: 12 }
      })),
      { dim: last, name: 'test accuracy', type: 'value' as const, scale: true, nameTextStyle: { fontSize: 12 }, axisLabel: { formatter: (v: number) => pct(v) } }
    ],
    visualMap: accuracyScale(done, last),
    series: [
      {
        name: 'runs',
        type: 'parallel',
        lineStyle: { width: 2.5, opacity: 0.85 },
        emphasis: { lineStyle: { width: 4, opacity: 1 } },
        data: done.map((p) => [...keys.map((k) => p[k]), p.testAccuracy!])
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
    grid: { left: 72, right: 170, top: 48, bottom: 52 },
    xAxis:
      x === 'learningRate' && done.length
        ? { type: 'log', name: SWEPT_LABELS[x], nameLocation: 'middle', nameGap: 30, ...logRange(done.map((p) => p.learningRate)) }
        : { type: 'value', name: SWEPT_LABELS[x], nameLocation: 'middle', nameGap: 30, scale: true },
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
