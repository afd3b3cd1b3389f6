/** The bar chart of a model's 10 class probabilities. */
import type { EChartsOption } from 'echarts'
import { CLASS_NAMES } from '@shared/classes'

export function probabilityChart(probabilities: ArrayLike<number> | null): EChartsOption {
  const values = probabilities ? Array.from(probabilities, (p) => Math.round(p * 10000) / 100) : CLASS_NAMES.map(() => 0)
  const best = values.indexOf(Math.max(...values))
  return {
    backgroundColor: 'transparent',
    animation: false,
    grid: { left: 96, right: 48, top: 8, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${Number(v).toFixed(2)}%` },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', inverse: true, data: [...CLASS_NAMES] },
    series: [
      {
        type: 'bar',
        data: values.map((v, i) => ({ value: v, itemStyle: { color: probabilities && i === best ? '#18a058' : '#5470c6' } })),
        label: { show: true, position: 'right', formatter: (p) => `${Number(p.value).toFixed(1)}%` }
      }
    ]
  }
}
