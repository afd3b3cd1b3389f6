/** Exponential-moving-average smoothing of curves, debiased at the start the way TensorBoard does it. */
import type { LineSeriesOption } from 'echarts'

/** Smoothing weights people pick from (0 = off); TensorBoard's default is 0.6. */
export const SMOOTHING_MAX = 0.99

/**
 * EMA with weight β, divided by 1 − β^t so the first points are not dragged towards zero (the
 * zero-initialised average has only seen t points). Non-finite values pass through unchanged and
 * do not disturb the average. β = 0 returns the values as they are.
 */
export function emaDebiased(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`Smoothing weight must be in [0, 1), got ${weight}.`)
  let last = 0
  let seen = 0
  return values.map((v) => {
    if (!Number.isFinite(v)) return v
    last = last * weight + (1 - weight) * v
    seen++
    return weight === 0 ? v : last / (1 - weight ** seen)
  })
}

/** How the setting reads in titles and column names, e.g. `EMA 0.6`. */
export const smoothingLabel = (weight: number): string => `EMA ${Number(weight.toFixed(2))}`

/** A chart title that says whether its curves are smoothed, so a PNG or SVG export carries the setting. */
export const smoothedTitle = (title: string, weight: number): string =>
  weight > 0 ? `${title} · smoothed (${smoothingLabel(weight)})` : title

/** A line series of plain [x, y] points. */
export type PointSeries = Omit<LineSeriesOption, 'data'> & { data: Array<[number, number]> }

/**
 * Smooths a line series of [x, y] points: returns the smoothed series and, behind it, the raw curve
 * faint under the same name (so the legend toggles both). With weight 0 the series is returned alone.
 */
export function smoothSeries(series: PointSeries, weight: number): LineSeriesOption[] {
  if (weight <= 0) return [series]
  const ys = emaDebiased(
    series.data.map((p) => p[1]),
    weight
  )
  const color = (series.lineStyle?.color ?? series.itemStyle?.color) as string | undefined
  return [
    { ...series, data: series.data.map((p, i) => [p[0], ys[i]!]) },
    {
      name: series.name,
      type: 'line',
      data: series.data,
      showSymbol: false,
      silent: true,
      z: 1,
      tooltip: { show: false },
      emphasis: { disabled: true },
      lineStyle: { ...(color ? { color } : {}), opacity: 0.35, width: 1 },
      itemStyle: color ? { color } : undefined
    }
  ]
}
