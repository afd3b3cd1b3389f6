/** Plain-text formatting for the CLI: tables, percentages, durations. */
import type { BatchNormReestimate } from '@shared/run'

export const pct = (x: number | null | undefined): string => (x == null ? '—' : `${(x * 100).toFixed(2)}%`)

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`
}

export function elapsed(from: string | null, to: string | null): string {
  if (!from) return '—'
  const end = to ? Date.parse(to) : Date.now()
  return duration((end - Date.parse(from)) / 1000)
}

/** Left-aligned text columns, right-aligned numbers; `align` overrides the guess for the columns it names. */
export function table(headers: string[], rows: (string | number)[][], align: Record<number, 'left' | 'right'> = {}): string {
  const cells = [headers, ...rows.map((r) => r.map(String))]
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => r[c].length)))
  const numeric = headers.map((_, c) =>
    align[c] ? align[c] === 'right' : rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || /^[\d.,%:—-]+$/.test(String(r[c])))
  )
  const line = (r: string[]) =>
    r
      .map((v, c) => (numeric[c] ? v.padStart(widths[c]) : v.padEnd(widths[c])))
      .join('  ')
      .trimEnd()
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n')
}

/** Bytes as megabytes with one decimal, e.g. "19.6 MB". */
export const megabytes = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`

/** Says that (and over what) the batch-norm statistics of the tested model were re-estimated. */
export const batchNormLine = ({ layers, images }: BatchNormReestimate): string =>
  `batch-norm statistics re-estimated over ${images} training images (${layers} layer${layers === 1 ? '' : 's'}) before testing`
