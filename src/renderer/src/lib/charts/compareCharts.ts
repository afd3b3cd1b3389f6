/** Overlaid curves and the test-accuracy bars of compared runs, one colour per run everywhere. */
import type { EChartsOption } from 'echarts'
import type { EpochRecord } from '@shared/run'
import type { ChartTable } from '@renderer/lib/chartExport'
import { emaDebiased, smoothedTitle, smoothingLabel, smoothSeries } from './smoothing'

export const COMPARE_METRICS = ['loss', 'accuracy', 'valLoss', 'valAccuracy'] as const
export type CompareMetric = (typeof COMPARE_METRICS)[number]
export const METRIC_LABELS: Record<CompareMetric, string> = {
  loss: 'loss',
  accuracy: 'accuracy',
  valLoss: 'val_loss',
  valAccuracy: 'val_accuracy'
}

export interface ComparedRun {
  id: number
  name: string
  history: readonly EpochRecord[]
  testAccuracy: number | null
}

/** Curves longer than this are drawn as plain lines. */
const DOTS_UP_TO = 20

const label = (r: ComparedRun): string => `#${r.id} ${r.name}`

export function compareCurvesChart(
  metric: CompareMetric,
  runs: readonly ComparedRun[],
  colors: ReadonlyMap<number, string>,
  /** EMA weight in [0, 1); 0 draws the recorded values only. */
  smoothing = 0
): { option: EChartsOption; table: ChartTable } {
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    title: { text: smoothedTitle(METRIC_LABELS[metric], smoothing), left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    legend: { top: 30, type: 'scroll' },
    grid: { left: 56, right: 24, top: 76, bottom: 48 },
    xAxis: { type: 'value', name: 'Epoch', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 1 },
    yAxis: { type: 'value', name: METRIC_LABELS[metric], scale: true },
    series: runs.flatMap((r) =>
      smoothSeries(
        {
          name: label(r),
          type: 'line' as const,
          data: r.history.map((h): [number, number] => [h.epoch, h[metric]]),
          itemStyle: { color: colors.get(r.id) },
          lineStyle: { color: colors.get(r.id) },
          // Hundreds of dots add nothing over the line and cost a redraw each; the tooltip still marks the epoch.
          showSymbol: r.history.length <= DOTS_UP_TO,
          symbolSize: 4
        },
        smoothing
      )
    )
  }
  const epochs = [...new Set(runs.flatMap((r) => r.history.map((h) => h.epoch)))].sort((a, b) => a - b)
  const smoothed = runs.map((r) => {
    const ys = smoothing > 0 ? emaDebiased(r.history.map((h) => h[metric]), smoothing) : []
    return new Map(r.history.map((h, i) => [h.epoch, ys[i] ?? null]))
  })
  const table: ChartTable = {
    header: ['epoch', ...runs.map(label), ...(smoothing > 0 ? runs.map((r) => `${label(r)} (${smoothingLabel(smoothing)})`) : [])],
    rows: epochs.map((e) => [
      e,
      ...runs.map((r) => r.history.find((h) => h.epoch === e)?.[metric] ?? null),
      ...(smoothing > 0 ? smoothed.map((m) => m.get(e) ?? null) : [])
    ])
  }
  return { option, table }
}

export function testAccuracyBars(runs: readonly ComparedRun[], colors: ReadonlyMap<number, string>): { option: EChartsOption; table: ChartTable } {
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    title: { text: 'Test accuracy', left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    legend: { show: false },
    grid: { left: 56, right: 24, top: 48, bottom: 80 },
    xAxis: { type: 'category', name: 'Run', nameLocation: 'middle', nameGap: 64, data: runs.map(label), axisLabel: { rotate: 25 } },
    yAxis: { type: 'value', name: 'Test accuracy', min: 0, max: 1 },
    series: [
      {
        name: 'test accuracy',
        type: 'bar',
        data: runs.map((r) => ({ value: r.testAccuracy ?? 0, itemStyle: { color: colors.get(r.id) } })),
        label: { show: true, position: 'top', formatter: (p: unknown) => `${(((p as { value: number }).value) * 100).toFixed(2)}%` }
      }
    ]
  }
  const table: ChartTable = { header: ['run_id', 'name', 'test_accuracy'], rows: runs.map((r) => [r.id, r.name, r.testAccuracy]) }
  return { option, table }
}
