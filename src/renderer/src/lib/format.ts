/** Number, time and size formatting for people. */

export function percent(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`
}

export function fixed(x: number | null | undefined, digits = 4): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits)
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}

/** How long ago, for a person: "3 s ago", "4 min ago", "2 h ago" (a negative age, from clocks that disagree, is "just now"). */
export function ago(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  const s = Math.round(ms / 1000)
  if (s <= 0) return 'just now'
  if (s < 60) return `${s} s ago`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ago`
  const h = Math.floor(m / 60)
  return h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} days ago`
}

export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—'
  const units = ['B', 'KB', 'MB', 'GB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`
}

// One formatter for the whole app: `toLocaleString('en-US')` builds a new one on every call, which
// showed up in profiles of views that print many counts.
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 })

/** `2,446`: thousands separators, as `toLocaleString('en-US')` writes them. */
export function integer(n: number): string {
  return INTEGER.format(n)
}

/** `2025-01-31 14:05` in local time: the app's one date format, compact enough for one table line. */
export function shortDateTime(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** The same format as {@link shortDateTime} (the run page once wrote dates in the browser's locale, the list in this one). */
export const dateTime = shortDateTime

/**
 * A number to `digits` significant figures without trailing zeros (`0.0005234`, `0.001`, `1e-7`);
 * integers stay whole, so seeds and batch sizes read exactly.
 */
export function significant(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return '—'
  if (Number.isInteger(x)) return String(x)
  return String(Number(x.toPrecision(digits)))
}

/** How `plural` writes its count. */
export interface PluralOptions {
  /** The plural form when it is not the noun plus "s". */
  nouns?: string
  /** Thousands separators (`2,446`); default true. */
  grouping?: boolean
}

/** A count with its noun, singular for exactly one: `1 image`, `2,446 images`, `0 runs`. */
export function plural(n: number, noun: string, options: PluralOptions = {}): string {
  const count = options.grouping === false ? String(n) : integer(n)
  return `${count} ${n === 1 ? noun : (options.nouns ?? `${noun}s`)}`
}

/** `82.14% ± 0.31%` (mean ± sample std); just the mean when one value is known; `—` for none. */
export function meanStd(s: { mean: number; std: number | null } | null, digits = 2): string {
  if (!s) return '—'
  return s.std === null ? percent(s.mean, digits) : `${percent(s.mean, digits)} ± ${percent(s.std, digits)}`
}
