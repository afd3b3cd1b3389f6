/** Train vs validation curves of one run, with LR reductions and the best validation epoch marked. */
import type { EChartsOption } from 'echarts'
import type { EpochRecord, ResumePoint } from '@shared/run'
import type { ChartTable } from '@renderer/lib/chartExport'
import { emaDebiased, smoothedTitle, smoothingLabel, smoothSeries } from './smoothing'

export type CurveMetric = 'loss' | 'accuracy'

export interface CurvesInput {
  title: string
  metric: CurveMetric
  history: readonly EpochRecord[]
  /** Running means inside the epoch in progress (x in fractional epochs). */
  live: ReadonlyArray<{ x: number; loss: number; accuracy: number }>
  /**
   * Whether the run is still training: only then does the "(this epoch)" curve have a place in the
   * legend. Default: whether there are live points.
   */
  running?: boolean
  /** Epochs asked for; while running, the x-axis spans them so the curve grows into a fixed frame. */
  epochsPlanned?: number
  /** EMA weight in [0, 1) for the per-epoch curves; 0 (default) draws the recorded values only. */
  smoothing?: number
  /** Where training resumed or was extended: marked as solid vertical lines. */
  resumePoints?: readonly ResumePoint[]
}

/** Label of a resume mark, e.g. "resumed" or "trained further". */
export function resumeLabel(point: ResumePoint): string {
  return point.kind === 'resumed' ? 'resumed' : 'trained further'
}

/** Train and validation colours (Okabe–Ito blue and orange: distinct for colour-blind eyes, on both themes). */
export const CURVE_COLORS = { train: '#0072B2', val: '#E69F00' } as const

/** Epochs whose learning rate is lower than the epoch before. */
export function lrReductions(history: readonly EpochRecord[]): Array<{ epoch: number; from: number; to: number }> {
  const out: Array<{ epoch: number; from: number; to: number }> = []
  for (let i = 1; i < history.length; i++) {
    const from = history[i - 1].learningRate
    const to = history[i].learningRate
    if (to < from) out.push({ epoch: history[i].epoch, from, to })
  }
  return out
}

/** The epoch with the best validation figure: lowest val loss, or highest val accuracy. */
export function bestValEpoch(history: readonly EpochRecord[], metric: CurveMetric): EpochRecord | null {
  let best: EpochRecord | null = null
  for (const h of history) {
    if (!best) best = h
    else if (metric === 'loss' ? h.valLoss < best.valLoss : h.valAccuracy > best.valAccuracy) best = h
  }
  return best
}

export function curvesChart(input: CurvesInput): { option: EChartsOption; table: ChartTable } {
  const train = input.metric === 'loss' ? 'loss' : 'accuracy'
  const val = input.metric === 'loss' ? 'valLoss' : 'valAccuracy'
  const smoothing = input.smoothing ?? 0
  const trainData = input.history.map((h): [number, number] => [h.epoch, h[train]])
  const valData = input.history.map((h): [number, number] => [h.epoch, h[val]])
  const last = input.history[input.history.length - 1]
  const liveData = [...(last ? [[last.epoch, last[train]]] : []), ...input.live.map((p) => [p.x, p[train]])]
  const best = bestValEpoch(input.history, input.metric)
  const label = input.metric === 'loss' ? 'Loss' : 'Accuracy'
  const running = input.running ?? input.live.length > 0
  // Fixed colours, so a faint raw curve matches its smoothed one whatever its place in the series list.
  const style = (color: string) => ({ itemStyle: { color }, lineStyle: { color } })
  const [trainSeries, ...trainRaw] = smoothSeries(
    { name: `train ${input.metric}`, type: 'line', data: trainData, showSymbol: true, symbolSize: 5, ...style(CURVE_COLORS.train) },
    smoothing
  )
  const [valSeries, ...valRaw] = smoothSeries(
    { name: `val ${input.metric}`, type: 'line', data: valData, showSymbol: true, symbolSize: 5, ...style(CURVE_COLORS.val) },
    smoothing
  )

  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    title: { text: smoothedTitle(input.title, smoothing), left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    legend: { top: 30 },
    // Room on the right for the "best" pin (40 px wide, centred on its epoch) when the best epoch is the last.
    grid: { left: 56, right: 36, top: 76, bottom: 48 },
    xAxis: {
      type: 'value',
      name: 'Epoch',
      nameLocation: 'middle',
      nameGap: 28,
      // Epochs are counted from 1: an axis from 0 leaves an empty first step.
      min: 1,
      minInterval: 1,
      // At least 1…2, so a one-epoch run still has an axis; the last epoch ends it (no empty step to a round number).
      ...(running ? (input.epochsPlanned ? { max: Math.max(2, input.epochsPlanned) } : {}) : { max: Math.max(2, last?.epoch ?? 2) })
    },
    yAxis: { type: 'value', name: label, scale: true },
    series: [
      {
        ...trainSeries,
        // Between the last epoch before the stop and the first after it.
        markLine: {
          symbol: 'none',
          lineStyle: { type: 'solid', width: 1, color: '#8a8f98' },
          label: { formatter: '{b}', fontSize: 10, position: 'insideEndTop' },
          data: (input.resumePoints ?? []).map((p) => ({ name: resumeLabel(p), xAxis: p.afterEpoch + 0.5 }))
        }
      },
      {
        ...valSeries,
        markPoint: best
          ? {
              symbol: 'pin',
              symbolSize: 40,
              data: [{ name: 'best', coord: [best.epoch, best[val]], value: `best ${best.epoch}` }],
              label: { fontSize: 9 }
            }
          : undefined,
        markLine: {
          symbol: 'none',
          lineStyle: { type: 'dashed' },
          label: { formatter: '{b}', fontSize: 10 },
          data: lrReductions(input.history).map((r) => ({ name: `LR ${r.to.toPrecision(2)}`, xAxis: r.epoch }))
        }
      },
      ...(running
        ? [
            {
              name: `train ${input.metric} (this epoch)`,
              type: 'line' as const,
              data: liveData.length > 1 ? liveData : [],
              showSymbol: false,
              itemStyle: { color: CURVE_COLORS.train },
              lineStyle: { type: 'dotted' as const, color: CURVE_COLORS.train }
            }
          ]
        : []),
      // The raw curves, faint, last in the list so the series above keep their places.
      ...trainRaw,
      ...valRaw
    ]
  }
  const ema = smoothing > 0 ? smoothingLabel(smoothing).replace(' ', '').toLowerCase() : ''
  const smoothTrain = emaDebiased(
    input.history.map((h) => h[train]),
    smoothing
  )
  const smoothVal = emaDebiased(
    input.history.map((h) => h[val]),
    smoothing
  )
  const table: ChartTable = {
    header: [
      'epoch',
      `train_${input.metric}`,
      `val_${input.metric}`,
      'learning_rate',
      ...(ema ? [`train_${input.metric}_${ema}`, `val_${input.metric}_${ema}`] : [])
    ],
    rows: [
      ...input.history.map((h, i) => [h.epoch, h[train], h[val], h.learningRate, ...(ema ? [smoothTrain[i]!, smoothVal[i]!] : [])]),
      ...(running ? input.live.map((p) => [p.x, p[train], null, null, ...(ema ? [null, null] : [])]) : [])
    ]
  }
  return { option, table }
}
