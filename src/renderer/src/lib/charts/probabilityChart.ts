/** The bar chart of a model's class probabilities. */
import type { EChartsOption } from 'echarts'
import { CLASS_NAMES } from '@shared/classes'

/** Height in px that gives each class a readable bar. */
export const probabilityChartHeight = (classes: number): number => Math.max(260, Math.min(2400, 32 + classes * 23))

export function probabilityChart(probabilities: ArrayLike<number> | null, classNames: readonly string[] = CLASS_NAMES): EChartsOption {
  const values = probabilities ? Array.from(probabilities, (p) => Math.round(p * 10000) / 100) : classNames.map(() => 0)
  const best = values.indexOf(Math.max(...values))
  return {
    backgroundColor: 'transparent',
    animation: false,
    grid: { left: 96, right: 48, top: 8, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${Number(v).toFixed(2)}%` },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    // Long names are cut to the label column; the tooltip names the class in full.
    yAxis: { type: 'category', inverse: true, data: [...classNames], axisLabel: { width: 88, overflow: 'truncate', interval: 0 } },
    series: [
      {
        type: 'bar',
        data: values.map((v, i) => ({ value: v, itemStyle: { color: probabilities && i === best ? '#18a058' : '#5470c6' } })),
        label: { show: true, position: 'right', formatter: (p) => `${Number(p.value).toFixed(1)}%` }
      }
    ]
  }
}
