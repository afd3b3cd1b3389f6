/** Images per class of a dataset, train and test side by side, so an imbalanced class stands out. */
import type { EChartsOption } from 'echarts'
import type { ChartTable } from '@renderer/lib/chartExport'
import { CURVE_COLORS } from './curvesChart'

export interface ClassCountInput {
  title: string
  classNames: readonly string[]
  trainPerClass: readonly number[]
  testPerClass: readonly number[]
}

/** Largest class over the smallest (1 when balanced; Infinity when a class has no training image). */
export function imbalanceRatio(counts: readonly number[]): number {
  if (!counts.length) return 1
  const max = Math.max(...counts)
  const min = Math.min(...counts)
  return min === 0 ? (max === 0 ? 1 : Infinity) : max / min
}

/** Height in px that gives every class a readable bar. */
export const classCountHeight = (classes: number): number => Math.max(220, Math.min(1600, 60 + classes * 24))

export function classCountChart(input: ClassCountInput): { option: EChartsOption; table: ChartTable } {
  const names = [...input.classNames]
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    legend: { top: 0, data: ['train', 'test'] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 48, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: names,
      // Long or many names are cut; the tooltip shows the whole name.
      axisLabel: { width: 120, overflow: 'truncate', interval: 0 }
    },
    series: [
      { name: 'train', type: 'bar', data: [...input.trainPerClass], itemStyle: { color: CURVE_COLORS.train }, barGap: '10%' },
      { name: 'test', type: 'bar', data: [...input.testPerClass], itemStyle: { color: CURVE_COLORS.val } }
    ]
  }
  const table: ChartTable = {
    header: ['class', 'train', 'test'],
    rows: names.map((n, i) => [n, input.trainPerClass[i] ?? 0, input.testPerClass[i] ?? 0])
  }
  return { option, table }
}
