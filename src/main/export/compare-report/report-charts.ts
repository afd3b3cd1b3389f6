/**
 * The Compare view's charts drawn for print: white paper, black text, titles and axis names, no
 * interaction. Same colours per run as the screen (the renderer's runColors order).
 */
import type { EChartsOption } from 'echarts'
import { CLASS_NAMES } from '@shared/classes'
import type { RunDetail } from '@shared/run'
import type { SubjectAccuracy } from '@shared/significance'
import { entityColorMap } from '@shared/palette'
import { meanCurve, spreadOf } from '@shared/spread'
import { bandSeries } from '@shared/band-series'

/** A run or a group of seed repeats, as the report shows it. */
export interface ReportEntity {
  /** `r<id>` or `g<id>`. */
  key: string
  kind: 'run' | 'group'
  id: number
  /** `#12 name` for a run, `g3 name` for a group. */
  label: string
  /** The run itself, or the group's members. */
  runs: RunDetail[]
}

/** One colour per run or group, in the order the screen gives them, so each keeps its colour on paper. */
export const reportColors = (entities: readonly ReportEntity[]): Map<string, string> => entityColorMap(entities)

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

/**
 * A metric's curves: a run's line, a group's mean line inside a band of ± one sample standard
 * deviation of its members (the legend names the group once; the band has no legend entry).
 */
export function reportCurveOption(metric: (typeof CURVE_METRICS)[number], entities: readonly ReportEntity[], colors: ReadonlyMap<string, string>): EChartsOption {
  const lines = entities.map((e) => {
    const color = colors.get(e.key)
    const points: Array<[number, number]> =
      e.kind === 'run' ? (e.runs[0]?.history ?? []).map((h) => [h.epoch, h[metric.key]]) : meanCurve(e.runs, metric.key).map((p) => [p.epoch, p.mean])
    return {
      name: e.label,
      type: 'line' as const,
      data: points,
      showSymbol: points.length <= 20,
      symbolSize: 3,
      itemStyle: { color },
      lineStyle: { color, width: e.kind === 'group' ? 2 : 1.5 }
    }
  })
  const bands = entities.flatMap((e) => {
    if (e.kind !== 'group') return []
    const curve = meanCurve(e.runs, metric.key)
    return curve.length ? [{ color: colors.get(e.key) ?? '#888888', points: curve.map((p) => [p.epoch, p.mean - (p.std ?? 0), p.mean + (p.std ?? 0)] as const) }] : []
  })
  return {
    ...base(metric.title),
    // The four curve charts share one colour key, printed above them (see compare-report-pdf.ts).
    legend: { show: false },
    grid: { left: 58, right: 16, top: 34, bottom: 44 },
    xAxis: { type: 'value', name: 'Epoch', nameLocation: 'middle', nameGap: 22, minInterval: 1, min: 1, nameTextStyle: axisName },
    yAxis: { type: 'value', name: metric.axis, nameLocation: 'middle', nameGap: 44, scale: true, nameTextStyle: axisName },
    series: [...(bands.length ? [bandSeries(bands, 'spread')] : []), ...lines]
  } as EChartsOption
}

/**
 * Test accuracy per run or group: a run's bar with its 95 % Wilson interval, a group's bar at its
 * members' mean with ± one sample standard deviation and every member as a dot.
 */
export function reportBarsOption(entities: readonly ReportEntity[], accuracies: ReadonlyMap<string, SubjectAccuracy>, colors: ReadonlyMap<string, string>): EChartsOption {
  const shown = entities.filter((e) => accuracies.has(e.key))
  const whisker = (e: ReportEntity): [number, number] => {
    const a = accuracies.get(e.key)!
    if (e.kind === 'run') return [a.interval?.low ?? a.accuracy, a.interval?.high ?? a.accuracy]
    const std = spreadOf(a.memberAccuracies)?.std ?? 0
    return [a.accuracy - std, a.accuracy + std]
  }
  const whiskers = shown.map(whisker)
  const members = shown.flatMap((e, i) => (e.kind === 'group' ? accuracies.get(e.key)!.memberAccuracies.map((m) => [i, m]) : []))
  const values = [...whiskers.flat(), ...members.map((m) => m[1]!)]
  // Zoomed to the figures (a bar chart from 0 would hide differences of tenths of a percent), and says so on its axis.
  const min = Math.max(0, Math.floor((Math.min(...values) - 0.02) * 50) / 50)
  const max = Math.min(1, Math.ceil((Math.max(...values) + 0.01) * 50) / 50)
  const groups = shown.some((e) => e.kind === 'group')
  const runs = shown.some((e) => e.kind === 'run')
  const title = !groups
    ? 'Test accuracy with 95% Wilson intervals'
    : runs
      ? 'Test accuracy: runs with 95% Wilson intervals; groups as mean ± sample std, members as dots'
      : 'Test accuracy: groups as mean ± sample std, members as dots'
  return {
    ...base(title),
    grid: { left: 58, right: 16, top: 34, bottom: 70 },
    xAxis: {
      type: 'category', name: groups ? 'Run or group' : 'Run', nameLocation: 'middle', nameGap: 56, data: shown.map((e) => e.label),
      axisLabel: { rotate: 15, fontSize: 9, color: TEXT }, nameTextStyle: axisName
    },
    yAxis: { type: 'value', name: `Test accuracy (axis from ${min})`, nameLocation: 'middle', nameGap: 44, min, max, nameTextStyle: axisName },
    series: [
      {
        type: 'bar',
        barMaxWidth: 48,
        data: shown.map((e) => ({ value: accuracies.get(e.key)!.accuracy, itemStyle: { color: colors.get(e.key), opacity: e.kind === 'group' ? 0.8 : 1 } })),
        label: { show: true, position: 'insideBottom', color: '#ffffff', fontSize: 10, formatter: (p: unknown) => `${(((p as { value: number }).value) * 100).toFixed(2)}%` }
      },
      {
        type: 'custom',
        name: groups ? 'spread' : '95% interval',
        data: whiskers.map(([low, high], i) => [i, low, high]),
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
      },
      ...(members.length
        ? [{ type: 'scatter', name: 'members', data: members, symbolSize: 6, z: 11, itemStyle: { color: '#ffffff', borderColor: TEXT, borderWidth: 1 } }]
        : [])
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
