/** Confusion-matrix heatmap: rows are true classes, columns predicted classes. */
import type { EChartsOption } from 'echarts'
import { CLASS_NAMES } from '@shared/classes'
import type { ChartTable } from '@renderer/lib/chartExport'

export interface ConfusionInput {
  title: string
  matrix: readonly number[][]
  /** `counts`, `share` (row-normalised 0…1) or `diff` (signed counts, B − A). */
  mode: 'counts' | 'share' | 'diff'
  /** Dark theme: low values fade into the dark background instead of glowing white. */
  dark?: boolean
  /** In `diff` mode, the names of A and B for the legend (default `A`, `B`). */
  sides?: { a: string; b: string }
  /** Class names in matrix order (default Fashion-MNIST's). */
  classNames?: readonly string[]
}

/**
 * Colour ranges from low to high. Light: white to navy. Dark: near the background to bright blue.
 * Diff: a diverging scale by which run gains, orange (A) through a neutral matching the background
 * to blue (B): B gains where it puts more images on the diagonal (right) or fewer off it (mistakes).
 */
export const CONFUSION_PALETTES = {
  light: { scale: ['#f7fbff', '#6baed6', '#08306b'], diff: ['#d95f02', '#f7f7f7', '#2166ac'] },
  dark: { scale: ['#1a2230', '#2c6ca8', '#9fd3ff'], diff: ['#f28e2b', '#2a2a30', '#4fa3e0'] }
} as const

export function confusionChart(input: ConfusionInput): { option: EChartsOption; table: ChartTable } {
  const names = (input.classNames ?? CLASS_NAMES).map(String)
  // Many classes: numbers in the cells would overlap, so they show on hover only.
  const crowded = names.length > 15
  const diff = input.mode === 'diff'
  // Each cell: column, row, value, and in diff mode how much B gains there (the colour), so a blue
  // cell is always good news for B, on the diagonal (more right) and off it (fewer mistakes).
  const data: Array<[number, number, number, number]> = []
  input.matrix.forEach((row, r) => row.forEach((v, c) => data.push([c, r, v, r === c ? v : -v])))
  const sides = input.sides ?? { a: 'A', b: 'B' }
  const gainText = (g: number): string => (g > 0 ? ` (${sides.b} gains)` : g < 0 ? ` (${sides.a} gains)` : '')
  const palette = CONFUSION_PALETTES[input.dark ? 'dark' : 'light']
  const values = data.map((d) => d[2])
  const maxAbs = Math.max(1e-9, ...values.map(Math.abs))
  const fmt = (v: number): string =>
    input.mode === 'share' ? `${(v * 100).toFixed(1)}%` : input.mode === 'diff' && v > 0 ? `+${v}` : String(v)
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    animation: false,
    title: { text: input.title, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: {
      formatter: (p: unknown) => {
        const d = (p as { data: [number, number, number, number] }).data
        return `true ${names[d[1]]} → predicted ${names[d[0]]}: ${fmt(d[2])}${diff ? gainText(d[3]) : ''}`
      }
    },
    grid: { left: 110, right: diff ? 96 : 80, top: 48, bottom: 90 },
    // Long names are cut to fit (the tooltip names the cell in full).
    xAxis: {
      type: 'category',
      data: names,
      name: 'Predicted',
      nameLocation: 'middle',
      nameGap: 70,
      axisLabel: { rotate: 40, width: 70, overflow: 'truncate', interval: 0 }
    },
    yAxis: {
      type: 'category',
      data: names,
      name: 'True',
      inverse: true,
      nameLocation: 'middle',
      nameGap: 95,
      axisLabel: { width: 80, overflow: 'truncate', interval: 0 }
    },
    visualMap: {
      min: diff ? -maxAbs : 0,
      max: input.mode === 'share' ? 1 : maxAbs,
      // Diff: coloured by B's gain, and the legend's ends say which run gains and by how much.
      dimension: diff ? 3 : 2,
      ...(diff ? { textStyle: { fontSize: 11 } } : {}),
      calculable: false,
      orient: 'vertical',
      right: 8,
      top: 'middle',
      // The ends of the colour bar in numbers, so a colour can be read as a value.
      text: diff ? [`${sides.b} gains ${maxAbs}`, `${sides.a} gains ${maxAbs}`] : [fmt(input.mode === 'share' ? 1 : maxAbs), fmt(0)],
      textGap: 6,
      itemHeight: 180,
      inRange: { color: [...palette[input.mode === 'diff' ? 'diff' : 'scale']] }
    },
    series: [
      {
        name: input.title,
        type: 'heatmap',
        data,
        label: { show: !crowded, fontSize: 10, formatter: (p: unknown) => fmt((p as { data: number[] }).data[2]) },
        emphasis: { itemStyle: { borderColor: input.dark ? '#ddd' : '#333', borderWidth: 1 } }
      }
    ]
  }
  const table: ChartTable = {
    header: ['true \\ predicted', ...names],
    rows: input.matrix.map((row, r) => [names[r], ...row])
  }
  return { option, table }
}
