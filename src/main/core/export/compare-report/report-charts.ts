/**
 * The Compare view's charts drawn for print from the same Compare model the screen draws
 * (`@shared/compare-model`): white paper, black text, titles and axis names, no interaction, the same
 * colour per run or group as on screen, learning-rate drops and resumes marked.
 */
import type { EChartsOption } from 'echarts'
import type { RunDetail } from '@shared/run'
import type { SubjectAccuracy } from '@shared/significance'
import { COMPARE_METRICS, type CompareEntity, type CompareMetricInfo, type CompareModel } from '@shared/compare-model'
import { bandSeries } from '@shared/band-series'
import { printable } from './report-fonts'

/** A run or a group of seed repeats, as the report shows it: an entity of the Compare model. */
export type ReportEntity = CompareEntity

/** The four curve charts, titled as on screen. */
export const CURVE_METRICS = COMPARE_METRICS

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
 * deviation of its members (the legend names the group once; the band has no legend entry), with
 * learning-rate drops (dashed) and resumes (solid) in the entity's colour.
 */
export function reportCurveOption(metric: CompareMetricInfo, model: CompareModel): EChartsOption {
  const curves = new Map(model.curves[metric.key].map((c) => [c.key, c.points]))
  const lines = model.entities.map((e) => {
    const points: Array<[number, number]> = (curves.get(e.key) ?? []).map((p) => [p.epoch, p.mean])
    const marks = model.marks.filter((m) => m.key === e.key)
    return {
      name: e.label,
      type: 'line' as const,
      data: points,
      showSymbol: points.length <= 20,
      symbolSize: 3,
      itemStyle: { color: e.color },
      lineStyle: { color: e.color, width: e.kind === 'group' ? 2 : 1.5 },
      ...(marks.length
        ? {
            markLine: {
              symbol: 'none',
              silent: true,
              label: { formatter: '{b}', fontSize: 8, position: 'insideEndTop', color: e.color },
              data: marks.map((m) => ({
                name: m.label,
                xAxis: m.epoch,
                lineStyle: { type: m.kind === 'resume' ? 'solid' : 'dashed', width: 0.8, color: e.color }
              }))
            }
          }
        : {})
    }
  })
  const bands = model.entities.flatMap((e) => {
    const curve = curves.get(e.key)
    if (e.kind !== 'group' || !curve?.length) return []
    return [{ color: e.color, points: curve.map((p) => [p.epoch, p.mean - (p.std ?? 0), p.mean + (p.std ?? 0)] as const) }]
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
 * Test accuracy per run or group: a run's bar with its 95 % Wilson interval (from `runIntervals`), a
 * group's bar at its members' mean with ± one sample standard deviation and every member as a dot.
 */
export function reportBarsOption(model: CompareModel, runIntervals: ReadonlyMap<string, SubjectAccuracy>): EChartsOption {
  const accuracy = new Map(model.testAccuracy.map((t) => [t.key, t]))
  const shown = model.entities.filter((e) => accuracy.get(e.key)?.spread)
  const whisker = (e: CompareEntity): [number, number] => {
    const s = accuracy.get(e.key)!.spread!
    if (e.kind === 'run') {
      const interval = runIntervals.get(e.key)?.interval
      return [interval?.low ?? s.mean, interval?.high ?? s.mean]
    }
    return [s.mean - (s.std ?? 0), s.mean + (s.std ?? 0)]
  }
  const whiskers = shown.map(whisker)
  const members = shown.flatMap((e, i) => accuracy.get(e.key)!.members.map((m) => [i, m.accuracy]))
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
      type: 'category',
      name: groups ? 'Run or group' : 'Run',
      nameLocation: 'middle',
      nameGap: 56,
      data: shown.map((e) => e.label),
      axisLabel: { rotate: 15, fontSize: 9, color: TEXT },
      nameTextStyle: axisName
    },
    yAxis: {
      type: 'value',
      name: `Test accuracy (axis from ${min})`,
      nameLocation: 'middle',
      nameGap: 44,
      min,
      max,
      nameTextStyle: axisName
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 48,
        data: shown.map((e) => ({
          value: accuracy.get(e.key)!.spread!.mean,
          itemStyle: { color: e.color, opacity: e.kind === 'group' ? 0.8 : 1 }
        })),
        label: {
          show: true,
          position: 'insideBottom',
          color: '#ffffff',
          fontSize: 10,
          formatter: (p: unknown) => `${((p as { value: number }).value * 100).toFixed(2)}%`
        }
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
        ? [
            {
              type: 'scatter',
              name: 'members',
              data: members,
              symbolSize: 6,
              z: 11,
              itemStyle: { color: '#ffffff', borderColor: TEXT, borderWidth: 1 }
            }
          ]
        : [])
    ]
  } as EChartsOption
}

/**
 * The names of a run's classes on paper: its dataset's class names, or their indices when one of them
 * has characters the report's font cannot draw (Japanese, say), which would print as empty boxes.
 */
export function reportClassNames(run: Pick<RunDetail, 'metrics' | 'dataset'>): { names: string[]; byIndex: boolean } {
  const matrix = run.metrics?.confusion ?? []
  const names = matrix.map((_, i) => run.dataset.classNames[i] ?? `class ${i}`)
  return names.every(printable) ? { names, byIndex: false } : { names: names.map((_, i) => String(i)), byIndex: true }
}

/**
 * The confusion matrix of one run, its rows and columns named with the class names of the run's
 * dataset; `on` (e.g. " on MNIST") says which dataset's best it is when several are compared.
 */
export function reportConfusionOption(run: RunDetail, on = ''): EChartsOption {
  const matrix = run.metrics?.confusion ?? []
  const { names } = reportClassNames(run)
  // Many classes: smaller axis names, and no numbers in cells too small to hold them.
  const many = names.length > 20
  const axisFont = many ? 6 : 9
  const data: Array<[number, number, number]> = []
  matrix.forEach((row, r) => row.forEach((v, c) => data.push([c, r, v])))
  const max = Math.max(1, ...data.map((d) => d[2]))
  return {
    ...base(`Confusion matrix of the best run${on}, ${label(run)}`),
    grid: { left: 100, right: 70, top: 34, bottom: 90 },
    xAxis: {
      type: 'category',
      data: names,
      name: 'Predicted class',
      nameLocation: 'middle',
      nameGap: 58,
      axisLabel: { rotate: 40, fontSize: axisFont, color: TEXT, interval: 0 },
      nameTextStyle: axisName
    },
    yAxis: {
      type: 'category',
      data: names,
      name: 'True class',
      inverse: true,
      nameLocation: 'middle',
      nameGap: 86,
      axisLabel: { fontSize: axisFont, color: TEXT, interval: 0 },
      nameTextStyle: axisName
    },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: 'vertical',
      right: 4,
      top: 'middle',
      itemHeight: 200,
      itemWidth: 12,
      text: [String(max), '0'],
      textStyle: { fontSize: 9, color: TEXT },
      inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] }
    },
    // Light numbers on the dark cells, dark ones on the light cells.
    series: [
      {
        type: 'heatmap',
        data: data.map((d) => ({ value: d, label: { color: d[2] > max * 0.45 ? '#ffffff' : TEXT } })),
        label: { show: !many, fontSize: 8 }
      }
    ]
  }
}
