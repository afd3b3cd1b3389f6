/**
 * The Compare view's charts drawn for print: white paper, black text, titles and axis names, no
 * interaction. Same colours per run as the screen (the renderer's runColors order).
 */
import type { EChartsOption } from 'echarts'
import { CLASS_NAMES } from '@shared/classes'
import type { RunDetail } from '@shared/run'
import type { SubjectAccuracy } from '@shared/significance'

/** Okabe–Ito, then Tableau: the order the renderer's `RUN_PALETTE` uses, so a run keeps its colour on paper. */
const PALETTE = [
  '#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#8C8C8C',
  '#4E79A7', '#F28E2B', '#59A14F', '#E15759', '#76B7B2', '#EDC948', '#B07AA1', '#9C755F'
]

/** One colour per run by its rank among the compared ids, as on screen. */
export function reportColors(ids: readonly number[]): Map<number, string> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b)
  return new Map(sorted.map((id, i) => [id, PALETTE[i % PALETTE.length]!]))
}

export const CURVE_METRICS = [
  { key: 'loss', title: 'Training loss', axis: 'Loss' },
  { key: 'accuracy', title: 'Training accuracy', axis: 'Accuracy' },
  { key: 'valLoss', title: 'Validation loss', axis: 'Validation loss' },
  { key: 'valAccuracy', title: 'Validation accuracy', axis: 'Validation accuracy' }
] as const

const label = (r: Pick<RunDetail, 'id' | 'name'>): string => `#${r.id} ${r.name}`
const TEXT = '#222222'
const base = (title: string): EChartsOption => ({
  backgroundColor: '#ffffff',
  animation: false,
  textStyle: { fontFamily: 'Helvetica', color: TEXT },
  title: { text: title, left: 'center', top: 4, textStyle: { fontSize: 13, fontWeight: 'bold', color: TEXT } }
})
const axisName = { color: TEXT, fontSize: 11 }

export function reportCurveOption(metric: (typeof CURVE_METRICS)[number], runs: readonly RunDetail[], colors: ReadonlyMap<number, string>): EChartsOption {
  return {
    ...base(metric.title),
    legend: { bottom: 0, type: 'plain', textStyle: { fontSize: 9, color: TEXT } },
    grid: { left: 58, right: 16, top: 34, bottom: 64 },
    xAxis: { type: 'value', name: 'Epoch', nameLocation: 'middle', nameGap: 22, minInterval: 1, min: 1, nameTextStyle: axisName },
    yAxis: { type: 'value', name: metric.axis, nameLocation: 'middle', nameGap: 44, scale: true, nameTextStyle: axisName },
    series: runs.map((r) => ({
      name: label(r),
      type: 'line' as const,
      data: r.history.map((h) => [h.epoch, h[metric.key]]),
      showSymbol: r.history.length <= 20,
      symbolSize: 3,
      itemStyle: { color: colors.get(r.id) },
      lineStyle: { color: colors.get(r.id), width: 1.5 }
    }))
  }
}

/** Test accuracy per run with its 95 % Wilson interval as an error bar. */
export function reportBarsOption(sides: readonly SubjectAccuracy[], colors: ReadonlyMap<number, string>): EChartsOption {
  const lows = sides.map((s) => s.interval?.low ?? s.accuracy)
  const highs = sides.map((s) => s.interval?.high ?? s.accuracy)
  // Zoomed to the figures (a bar chart from 0 would hide differences of tenths of a percent), and says so on its axis.
  const min = Math.max(0, Math.floor((Math.min(...lows) - 0.02) * 50) / 50)
  const max = Math.min(1, Math.ceil((Math.max(...highs) + 0.01) * 50) / 50)
  return {
    ...base('Test accuracy with 95% Wilson intervals'),
    grid: { left: 58, right: 16, top: 34, bottom: 70 },
    xAxis: {
      type: 'category', name: 'Run', nameLocation: 'middle', nameGap: 56, data: sides.map((s) => s.label),
      axisLabel: { rotate: 15, fontSize: 9, color: TEXT }, nameTextStyle: axisName
    },
    yAxis: { type: 'value', name: `Test accuracy (axis from ${min})`, nameLocation: 'middle', nameGap: 44, min, max, nameTextStyle: axisName },
    series: [
      {
        type: 'bar',
        barMaxWidth: 48,
        data: sides.map((s) => ({ value: s.accuracy, itemStyle: { color: colors.get(s.id) } })),
        label: { show: true, position: 'insideBottom', color: '#ffffff', fontSize: 10, formatter: (p: unknown) => `${(((p as { value: number }).value) * 100).toFixed(2)}%` }
      },
      {
        type: 'custom',
        name: '95% interval',
        data: sides.map((s, i) => [i, s.interval?.low ?? s.accuracy, s.interval?.high ?? s.accuracy]),
        renderItem: (_params: unknown, api: { value(i: number): number; coord(p: number[]): number[] }) => {
          const [x, low] = api.coord([api.value(0), api.value(1)]) as [number, number]
          const [, high] = api.coord([api.value(0), api.value(2)]) as [number, number]
          const style = { stroke: TEXT, lineWidth: 1.2 }
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: x, y1: low, x2: x, y2: high }, style },
              { type: 'line', shape: { x1: x - 6, y1: low, x2: x + 6, y2: low }, style },
              { type: 'line', shape: { x1: x - 6, y1: high, x2: x + 6, y2: high }, style }
            ]
          }
        },
        z: 10
      }
    ]
  } as EChartsOption
}

export function reportConfusionOption(run: RunDetail): EChartsOption {
  const names = CLASS_NAMES.map(String)
  const matrix = run.metrics?.confusion ?? []
  const data: Array<[number, number, number]> = []
  matrix.forEach((row, r) => row.forEach((v, c) => data.push([c, r, v])))
  const max = Math.max(1, ...data.map((d) => d[2]))
  return {
    ...base(`Confusion matrix of the best run, ${label(run)}`),
    grid: { left: 100, right: 70, top: 34, bottom: 90 },
    xAxis: { type: 'category', data: names, name: 'Predicted class', nameLocation: 'middle', nameGap: 58, axisLabel: { rotate: 40, fontSize: 9, color: TEXT }, nameTextStyle: axisName },
    yAxis: { type: 'category', data: names, name: 'True class', inverse: true, nameLocation: 'middle', nameGap: 86, axisLabel: { fontSize: 9, color: TEXT }, nameTextStyle: axisName },
    visualMap: {
      min: 0, max, calculable: false, orient: 'vertical', right: 4, top: 'middle',
      itemHeight: 200, itemWidth: 12, text: [String(max), '0'], textStyle: { fontSize: 9, color: TEXT }, inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] }
    },
    // Light numbers on the dark cells, dark ones on the light cells.
    series: [{ type: 'heatmap', data: data.map((d) => ({ value: d, label: { color: d[2] > max * 0.45 ? '#ffffff' : TEXT } })), label: { show: true, fontSize: 8 } }]
  }
}
