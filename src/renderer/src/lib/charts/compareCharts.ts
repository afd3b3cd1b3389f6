/**
 * Compare's charts on screen, drawn from the one Compare model (`@shared/compare-model`, which the PDF
 * report draws too): overlaid curves and the test-accuracy chart of compared runs and groups, one
 * colour per entity everywhere. A group draws its mean curve inside a band (± sample std, or min–max)
 * and its test accuracy as a bar with an error bar and every member as a dot. Learning-rate drops and
 * resumes are marked on the curves.
 */
import type { EChartsOption, CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts'
import type { ChartTable } from '@renderer/lib/chartExport'
import {
  COMPARE_METRICS,
  SPREAD_LABELS,
  spreadBounds as bounds,
  type CompareMetric,
  type CompareModel,
  type CurveMark,
  type SpreadKind
} from '@shared/compare-model'
import type { CurvePoint } from '@shared/spread'
import { emaDebiased, smoothedTitle, smoothingLabel, smoothSeries } from './smoothing'
import { bandSeries } from '@shared/band-series'

export { COMPARE_METRICS, SPREAD_LABELS, type CompareMetric, type SpreadKind }

/** Curves longer than this are drawn as plain lines. */
const DOTS_UP_TO = 20
/** Prefix of the series that only paint a band, kept out of the legend and tooltip. */
const BAND = '\u200bband '

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`
const num = (x: number): string => (Math.abs(x) >= 0.01 ? x.toFixed(4) : x.toPrecision(3))

export interface CompareCurvesOptions {
  model: CompareModel
  metric: CompareMetric
  spread: SpreadKind
  /** EMA weight in [0, 1) for the runs' curves and the groups' mean curves; 0 (default) draws the recorded values only. */
  smoothing?: number
}

/** An entity's learning-rate drops (dashed) and resumes (solid), in its colour, labelled at the top. */
function markLine(marks: readonly CurveMark[], color: string) {
  return {
    symbol: 'none',
    silent: true,
    label: { formatter: '{b}', fontSize: 10, position: 'insideEndTop' as const, color },
    data: marks.map((m) => ({
      name: m.label,
      xAxis: m.epoch,
      lineStyle: { type: m.kind === 'resume' ? ('solid' as const) : ('dashed' as const), width: 1, color }
    }))
  }
}

export function compareCurvesChart({ model, metric, spread, smoothing = 0 }: CompareCurvesOptions): {
  option: EChartsOption
  table: ChartTable
} {
  const info = COMPARE_METRICS.find((m) => m.key === metric)!
  const curves = new Map(model.curves[metric].map((c) => [c.key, c.points]))
  const series: NonNullable<EChartsOption['series']> & unknown[] = []
  for (const e of model.entities) {
    const curve = curves.get(e.key) ?? []
    const group = e.kind === 'group'
    const [main, ...raw] = smoothSeries(
      {
        name: e.label,
        type: 'line',
        data: curve.map((p): [number, number] => [p.epoch, p.mean]),
        itemStyle: { color: e.color },
        lineStyle: { color: e.color, ...(group ? { width: 2.5 } : {}) },
        // Hundreds of dots add nothing over the line and cost a redraw each; the tooltip still marks the epoch.
        showSymbol: curve.length <= DOTS_UP_TO,
        symbolSize: 4
      },
      smoothing
    )
    const marks = model.marks.filter((m) => m.key === e.key)
    series.push({ ...main!, ...(marks.length ? { markLine: markLine(marks, e.color) } : {}) }, ...raw)
  }
  // Every group's band in one series; smoothing applies to the mean, the band keeps the recorded spread.
  const bands = model.entities.flatMap((e) => {
    const curve = curves.get(e.key)
    return e.kind === 'group' && curve?.length
      ? [{ color: e.color, points: curve.map((p) => [p.epoch, ...bounds(p, spread)] as const) }]
      : []
  })
  if (bands.length) series.unshift(bandSeries(bands, `${BAND}spread`))
  const byLabel = new Map(model.entities.map((e) => [e.label, e]))
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    title: { text: smoothedTitle(info.title, smoothing), left: 'center', textStyle: { fontSize: 14 } },
    tooltip: {
      trigger: 'axis',
      formatter: (raw: unknown) => {
        const params = (Array.isArray(raw) ? raw : [raw]) as Array<{ seriesName: string; marker: string; value: [number, number] }>
        const shown = params.filter((p) => !p.seriesName.startsWith(BAND))
        const epoch = shown[0]?.value[0] ?? params[0]?.value[0]
        const lines = shown.map((p) => {
          const e = byLabel.get(p.seriesName)
          const point = e?.kind === 'group' ? curves.get(e.key)?.find((c) => c.epoch === epoch) : undefined
          if (!point) return `${p.marker}${p.seriesName}: ${num(p.value[1])}`
          const [lo, hi] = bounds(point, spread)
          const range = spread === 'std' ? (point.std === null ? '' : ` ± ${num(point.std)}`) : ` (${num(lo)} – ${num(hi)})`
          return `${p.marker}${p.seriesName}: ${num(point.mean)}${range}, n = ${point.n}`
        })
        return [`Epoch ${epoch}`, ...lines].join('<br/>')
      }
    },
    legend: { top: 30, type: 'scroll', data: model.entities.map((e) => e.label) },
    grid: { left: 56, right: 24, top: 76, bottom: 48 },
    xAxis: { type: 'value', name: 'Epoch', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 1 },
    yAxis: { type: 'value', name: info.axis, scale: true },
    series
  }
  return { option, table: curvesTable({ model, metric, curves, smoothing }) }
}

/** What the CSV of a curve chart is made from. */
interface CurvesTableInput {
  model: CompareModel
  metric: CompareMetric
  curves: Map<string, CurvePoint[]>
  smoothing: number
}

/**
 * One column per run; four per group (mean, std, min, max), so the band can be redrawn from the CSV;
 * with smoothing on, one more column per run and group with the smoothed curve, named after the setting.
 */
function curvesTable({ model, curves, smoothing }: CurvesTableInput): ChartTable {
  const { entities } = model
  const epochs = [...new Set([...curves.values()].flatMap((c) => c.map((p) => p.epoch)))].sort((a, b) => a - b)
  const smoothed =
    smoothing > 0
      ? entities.map((e) => {
          const points = curves.get(e.key) ?? []
          const ys = emaDebiased(
            points.map((p) => p.mean),
            smoothing
          )
          return new Map(points.map((p, i) => [p.epoch, ys[i] ?? null]))
        })
      : []
  const header = [
    'epoch',
    ...entities.flatMap((e) => (e.kind === 'group' ? ['mean', 'std', 'min', 'max'].map((s) => `${e.label} ${s}`) : [e.label])),
    ...(smoothing > 0 ? entities.map((e) => `${e.label}${e.kind === 'group' ? ' mean' : ''} (${smoothingLabel(smoothing)})`) : [])
  ]
  const rows = epochs.map((epoch) => [
    epoch,
    ...entities.flatMap((e) => {
      const p = curves.get(e.key)?.find((c) => c.epoch === epoch)
      if (e.kind === 'run') return [p?.mean ?? null]
      return p ? [p.mean, p.std, p.min, p.max] : [null, null, null, null]
    }),
    ...smoothed.map((m) => m.get(epoch) ?? null)
  ])
  return { header, rows }
}

/** An accuracy axis around [low, high] with a round step and at most 8 intervals, inside 0–1. */
export function zoomedAxis(low: number, high: number): { floor: number; ceiling: number; step: number } {
  const span = high - low + 0.02
  const step = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2].find((s) => span / s <= 8) ?? 0.2
  const round = (x: number) => Math.round(x * 1e9) / 1e9
  return {
    floor: round(Math.max(0, Math.floor((low - 0.01) / step) * step)),
    ceiling: round(Math.min(1, Math.ceil((high + 0.01) / step) * step)),
    step
  }
}

export interface TestAccuracyChartOptions {
  model: CompareModel
  spread: SpreadKind
}

/** A bar per entity (a group's bar is its mean), error bars for groups, every group member as a dot. */
export function testAccuracyBars({ model, spread }: TestAccuracyChartOptions): { option: EChartsOption; table: ChartTable } {
  const { entities } = model
  const stats = model.testAccuracy.map((t) => t.spread)
  const groupIndexes = entities.flatMap((e, i) => (e.kind === 'group' && stats[i] ? [i] : []))
  const errorBars = groupIndexes.map((i) => [i, ...bounds(stats[i]!, spread)])
  const dots = groupIndexes.flatMap((i) =>
    model.testAccuracy[i]!.members.map((m) => ({ value: [i, m.accuracy], runId: m.runId, seed: m.seed }))
  )
  const values = stats.flatMap((s) => (s ? [s.min, s.max, ...bounds(s, spread)] : []))
  // Differences of tenths of a percent vanish on a 0–100 % axis: with groups the axis spans the
  // values (on 2 % steps) and its name says where it starts; runs alone keep the full 0–100 % bars.
  const zoom = groupIndexes.length > 0 && values.length > 0
  const axis = zoom ? zoomedAxis(Math.min(...values), Math.max(...values)) : { floor: 0, ceiling: 1, step: 0.2 }
  const { floor, ceiling } = axis
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    title: {
      text: 'Test accuracy',
      subtext: groupIndexes.length ? `groups: bar = mean, error bar = ${SPREAD_LABELS[spread]}, dots = members` : '',
      left: 'center',
      textStyle: { fontSize: 14 },
      subtextStyle: { fontSize: 11 }
    },
    tooltip: { trigger: 'item' },
    legend: { show: false },
    grid: { left: 72, right: 24, top: groupIndexes.length ? 64 : 48, bottom: 80 },
    xAxis: {
      type: 'category',
      name: 'Run or group',
      nameLocation: 'middle',
      nameGap: 64,
      data: entities.map((e) => e.label),
      axisLabel: { rotate: 25 }
    },
    yAxis: {
      type: 'value',
      name: floor > 0 ? `Test accuracy (axis from ${pct(floor)})` : 'Test accuracy',
      nameLocation: 'middle',
      nameGap: 52,
      min: floor,
      max: ceiling,
      interval: axis.step,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 1000) / 10}%` }
    },
    series: [
      {
        name: 'test accuracy',
        type: 'bar',
        data: stats.map((s, i) => ({
          value: s?.mean ?? 0,
          itemStyle: { color: entities[i]!.color, opacity: entities[i]!.kind === 'group' ? 0.75 : 1 }
        })),
        // With error bars and dots on top, a value label would collide; the tooltip and CSV carry it.
        label: { show: !zoom, position: 'top', formatter: (p: unknown) => pct((p as { value: number }).value) },
        tooltip: {
          formatter: (p: unknown) => {
            const i = (p as { dataIndex: number }).dataIndex
            const s = stats[i]
            if (!s) return `${entities[i]!.label}: no test result yet`
            return entities[i]!.kind === 'run'
              ? `${entities[i]!.label}: ${pct(s.mean)}`
              : `${entities[i]!.label}<br/>mean ${pct(s.mean)}${s.std === null ? '' : ` ± ${pct(s.std)} (sample std, n − 1)`}<br/>min ${pct(s.min)} · max ${pct(s.max)} · n = ${s.n}`
          }
        }
      },
      {
        name: 'spread',
        type: 'custom',
        data: errorBars,
        silent: true,
        z: 3,
        renderItem: (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
          const x = api.value(0) as number
          const low = api.coord([x, api.value(1)])
          const high = api.coord([x, api.value(2)])
          const half = ((api.size?.([1, 0]) as number[] | undefined)?.[0] ?? 40) * 0.12
          // Mid grey reads on both themes' backgrounds and on every palette colour.
          const style = { stroke: '#888888', lineWidth: 1.5 }
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: low[0]!, y1: low[1]!, x2: high[0]!, y2: high[1]! }, style },
              { type: 'line', shape: { x1: low[0]! - half, y1: low[1]!, x2: low[0]! + half, y2: low[1]! }, style },
              { type: 'line', shape: { x1: high[0]! - half, y1: high[1]!, x2: high[0]! + half, y2: high[1]! }, style }
            ]
          }
        }
      },
      {
        name: 'members',
        type: 'scatter',
        data: dots,
        symbolSize: 8,
        z: 4,
        itemStyle: { color: '#ffffff', borderColor: '#333333', borderWidth: 1.2 },
        tooltip: {
          formatter: (p: unknown) => {
            const d = (p as { data: { value: [number, number]; runId: number; seed: number } }).data
            return `run #${d.runId} (seed ${d.seed}): ${pct(d.value[1])}`
          }
        }
      }
    ]
  }
  const table: ChartTable = {
    // `members`: a group's member accuracies (its dots), space-separated, so the chart can be redrawn from the CSV.
    header: ['id', 'kind', 'name', 'n', 'std', 'min', 'max', 'members', 'test_accuracy'],
    rows: entities.map((e, i) => [
      e.kind === 'run' ? e.id : `g${e.id}`,
      e.kind,
      e.name,
      stats[i]?.n ?? 0,
      stats[i]?.std ?? null,
      stats[i]?.min ?? null,
      stats[i]?.max ?? null,
      e.kind === 'group' ? model.testAccuracy[i]!.members.map((m) => m.accuracy).join(' ') : null,
      stats[i]?.mean ?? null
    ])
  }
  return { option, table }
}
