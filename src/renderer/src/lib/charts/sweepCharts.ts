/** The charts of a sweep: parallel coordinates (one line per run) and one hyperparameter against test accuracy. */
import type { EChartsOption } from 'echarts'
import type { SweepRunPoint } from '@shared/group'
import { describeAugment } from '@shared/augment'
import { SWEEP_DIMENSIONS, type SweepConfig, type SweepDimension } from '@shared/sweep-config'
import type { ChartTable } from '@renderer/lib/chartExport'

/** Every value a sweep may vary, then the seed. */
export const SWEPT = [...SWEEP_DIMENSIONS, 'seed'] as const
export type SweptKey = SweepDimension | 'seed'
export const SWEPT_LABELS: Record<SweptKey, string> = {
  learningRate: 'learning rate',
  batchSize: 'batch size',
  epochs: 'epochs',
  validationSplit: 'validation split',
  optimizer: 'optimizer',
  schedule: 'schedule',
  augment: 'augmentation',
  model: 'model',
  seed: 'seed'
}

/** A configuration's value of one dimension as drawn and listed: a number, or a name (`sgd`, `shift 2 px, flip`, `custom: tiny`). */
export function configValue(c: SweepConfig, key: SweepDimension): number | string {
  return key === 'augment' ? describeAugment(c.augment) : c[key]
}

/** A run's value of one swept key, its seed included. */
export const sweptValue = (p: SweepRunPoint, key: SweptKey): number | string => (key === 'seed' ? p.seed : configValue(p, key))

/** Runs with a test result, the only ones a chart of test accuracy can place. */
export const finishedPoints = (points: readonly SweepRunPoint[]): SweepRunPoint[] =>
  points.filter((p) => p.testAccuracy !== null && Number.isFinite(p.testAccuracy))

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`

/** Tooltips are HTML, and an architecture's name is whatever its author typed. */
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

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
    rows: points.map((p) => [p.runId, ...SWEPT.map((k) => sweptValue(p, k)), p.testAccuracy])
  }
}

/** The swept hyperparameters that take more than one value (learning rate when none does). */
export function varyingKeys(points: readonly SweepRunPoint[]): SweptKey[] {
  const keys = SWEPT.filter((k) => new Set(points.map((p) => sweptValue(p, k))).size > 1)
  return keys.length ? keys : ['learningRate']
}

/** How one swept hyperparameter is drawn: its axis settings and how a run's value becomes a data value. */
export interface SweptAxis {
  /** `category`: one tick per swept value, evenly spaced; `value`: log10 of the learning rate, labelled in plain numbers. */
  type: 'category' | 'value'
  /** The swept values as tick labels (category axes). */
  data?: string[]
  min?: number
  max?: number
  axisLabel: { formatter?: (v: number | string) => string; showMinLabel?: boolean; showMaxLabel?: boolean }
  toData: (v: number | string) => string | number
}

const label = (v: number): string => String(Number(v.toPrecision(3)))

/** Whether sorted positive values are evenly spaced on a log scale (a grid's learning rates), allowing for 3-digit rounding. */
function logEven(sorted: readonly number[]): boolean {
  if (sorted.length < 3) return true
  const steps = sorted.slice(1).map((v, i) => Math.log10(v / sorted[i]!))
  return steps.every((s) => Math.abs(s - steps[0]!) <= 0.01 + Math.abs(steps[0]!) * 0.02)
}

/**
 * The axis of one swept hyperparameter. Values picked from a list (batch sizes, epochs, splits,
 * seeds, a grid's log-spaced learning rates) get a category axis with a tick at each swept value,
 * so 32 and 64 are never drawn as a range 30–65; names (optimizers, schedules, augmentations,
 * models) a tick each in the order they first come; learning rates drawn at random get a log axis
 * (log10 on a value axis) whose ticks read as plain numbers, several per decade.
 */
export function sweptAxis(key: SweptKey, all: readonly (number | string)[]): SweptAxis {
  if (all.some((v) => typeof v === 'string')) {
    const names = [...new Set(all.map(String))]
    return { type: 'category', data: names, axisLabel: {}, toData: String }
  }
  const values = all as readonly number[]
  const sorted = [...new Set(values)].sort((a, b) => a - b)
  const tick = (v: number | string): string => label(Number(v))
  if (key !== 'learningRate' || logEven(sorted) || sorted.length === 0) {
    return { type: 'category', data: sorted.map(label), axisLabel: {}, toData: tick }
  }
  const logs = sorted.map(Math.log10)
  const pad = Math.max(0.1, (logs[logs.length - 1]! - logs[0]!) * 0.05)
  return {
    type: 'value',
    min: logs[0]! - pad,
    max: logs[logs.length - 1]! + pad,
    // The padded ends are not round numbers worth reading.
    // Two significant digits: 0.0005, 0.00063, 0.001, 0.0016 read at a glance.
    axisLabel: { formatter: (v) => String(Number((10 ** Number(v)).toPrecision(2))), showMinLabel: false, showMaxLabel: false },
    toData: (v) => Math.log10(Number(v))
  }
}

const axisOf = (a: SweptAxis) => {
  const { toData: _toData, ...axis } = a
  return axis
}

/**
 * One line per finished run across the hyperparameters the sweep varied and test accuracy (constant
 * ones add only flat segments); `runIdAt(i)` maps a clicked line to its run.
 */
export function sweepParallelChart(points: readonly SweepRunPoint[]): {
  option: EChartsOption
  table: ChartTable
  runIdAt: (i: number) => number | undefined
} {
  const done = finishedPoints(points)
  const keys = varyingKeys(points)
  const axes = keys.map((k) =>
    sweptAxis(
      k,
      done.map((p) => sweptValue(p, k))
    )
  )
  // The names a sweep varies join the tooltip's line; the four numbers are always there.
  const named = keys.filter((k) => typeof sweptValue(points[0]!, k) === 'string')
  const last = keys.length
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const i = (p as { dataIndex: number }).dataIndex
        const d = done[i]
        return d
          ? `run #${d.runId}<br/>lr ${label(d.learningRate)} · batch ${d.batchSize} · ${d.epochs} ep · val ${d.validationSplit} · seed ${d.seed}` +
              named.map((k) => `<br/>${SWEPT_LABELS[k]} ${escapeHtml(String(sweptValue(d, k)))}`).join('') +
              `<br/>test accuracy ${pct(d.testAccuracy!)}`
          : ''
      }
    },
    parallel: { left: 72, right: 210, top: 48, bottom: 36 },
    parallelAxis: [
      ...keys.map((k, dim) => ({
        dim,
        name: SWEPT_LABELS[k],
        ...axisOf(axes[dim]!),
        nameTextStyle: { fontSize: 12 }
      })),
      {
        dim: last,
        name: 'test accuracy',
        type: 'value' as const,
        scale: true,
        nameTextStyle: { fontSize: 12 },
        axisLabel: { formatter: (v: number) => pct(v) }
      }
    ],
    visualMap: accuracyScale(done, last),
    series: [
      {
        name: 'runs',
        type: 'parallel',
        lineStyle: { width: 2.5, opacity: 0.85 },
        emphasis: { lineStyle: { width: 4, opacity: 1 } },
        data: done.map((p) => [...keys.map((k, i) => axes[i]!.toData(sweptValue(p, k))), p.testAccuracy!])
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
  const axis = sweptAxis(
    x,
    done.map((p) => sweptValue(p, x))
  )
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    title: { text: `${SWEPT_LABELS[x]} vs test accuracy`, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const d = done[(p as { dataIndex: number }).dataIndex]
        return d
          ? `run #${d.runId} · ${SWEPT_LABELS[x]} ${escapeHtml(String(sweptValue(d, x)))}<br/>test accuracy ${pct(d.testAccuracy!)}`
          : ''
      }
    },
    grid: { left: 72, right: 170, top: 48, bottom: 52 },
    xAxis: { ...axisOf(axis), name: SWEPT_LABELS[x], nameLocation: 'middle', nameGap: 30 } as EChartsOption['xAxis'],
    yAxis: { type: 'value', name: 'test accuracy', scale: true, axisLabel: { formatter: (v: number) => pct(v) } },
    visualMap: accuracyScale(done, 1),
    series: [
      {
        name: 'runs',
        type: 'scatter',
        symbolSize: 12,
        itemStyle: { borderColor: '#888888', borderWidth: 1 },
        data: done.map((p) => [axis.toData(sweptValue(p, x)), p.testAccuracy!])
      }
    ]
  }
  return { option, table: table(done), runIdAt: (i) => done[i]?.runId }
}
