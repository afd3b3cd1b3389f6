/**
 * Two architectures side by side, layer by layer: the layers aligned by a weighted longest common
 * subsequence (identical layers first, then layers of the same kind, whose differing parameters are
 * named), residual blocks matched with each other and their layers diffed within. Pure: Compare draws
 * the rows, the unit tests read them.
 */
import type { Layer } from './architecture-schema'
import { layerFields } from './layer-fields'

/** One side of a row: a layer as Compare lists it. */
export interface DiffLayer {
  /** Index path in its architecture: `"3"`, `"5.2"` inside the block at 5. */
  path: string
  kind: string
  /** Its parameters in the layer's own order (`kind` left out; a block's `layers` given as their count). */
  fields: Array<[name: string, value: unknown]>
}

/** `same`: identical; `changed`: same kind, some parameters differ; `added`: only in B; `removed`: only in A. */
export type LayerDiffStatus = 'same' | 'changed' | 'added' | 'removed'

/** One aligned row. */
export interface ArchitectureDiffRow {
  status: LayerDiffStatus
  /** 0 for the architecture's own layers, 1 inside a residual block, … */
  depth: number
  a: DiffLayer | null
  b: DiffLayer | null
  /** Parameters that differ (for `changed`; `layers` when a block's layer count differs). */
  changed: string[]
}

const describe = (layer: Layer, path: string): DiffLayer => ({
  path,
  kind: layer.kind,
  fields: Object.entries(layer)
    .filter(([k]) => k !== 'kind')
    .map(([k, v]): [string, unknown] => [k, k === 'layers' && Array.isArray(v) ? v.length : v])
})

const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y)

/** Parameters of two layers of one kind that differ, in A's order then B's. */
function changedFields(a: DiffLayer, b: DiffLayer): string[] {
  const names = [...new Set([...a.fields.map(([k]) => k), ...b.fields.map(([k]) => k)])]
  const value = (side: DiffLayer, k: string) => side.fields.find(([n]) => n === k)?.[1]
  return names.filter((k) => !same(value(a, k), value(b, k)))
}

/** Pairs of indices (or null for a gap) that align `a` with `b`: identical layers score 3, same kind 2, others never pair. */
function align(a: readonly Layer[], b: readonly Layer[]): Array<[number | null, number | null]> {
  const score = (i: number, j: number): number => (a[i]!.kind !== b[j]!.kind ? -1 : same(a[i], b[j]) ? 3 : 2)
  const n = a.length
  const m = b.length
  // best[i][j]: the highest score aligning a[i…] with b[j…].
  const best = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = score(i, j)
      best[i]![j] = Math.max(best[i + 1]![j]!, best[i]![j + 1]!, s < 0 ? -1 : s + best[i + 1]![j + 1]!)
    }
  }
  const pairs: Array<[number | null, number | null]> = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    const s = score(i, j)
    if (s >= 0 && best[i]![j] === s + best[i + 1]![j + 1]!) pairs.push([i++, j++])
    else if (best[i]![j] === best[i + 1]![j]) pairs.push([i++, null])
    else pairs.push([null, j++])
  }
  while (i < n) pairs.push([i++, null])
  while (j < m) pairs.push([null, j++])
  return pairs
}

/** Rows for a layer and, for a block, all its layers, on one side only. */
function oneSided(layer: Layer, path: string, depth: number, status: 'added' | 'removed'): ArchitectureDiffRow[] {
  const side = describe(layer, path)
  const row: ArchitectureDiffRow = {
    status,
    depth,
    a: status === 'removed' ? side : null,
    b: status === 'added' ? side : null,
    changed: []
  }
  if (layer.kind !== 'residual') return [row]
  return [row, ...layer.layers.flatMap((l, k) => oneSided(l, `${path}.${k}`, depth + 1, status))]
}

function diffLists(a: readonly Layer[], b: readonly Layer[], prefix: { a: string; b: string }, depth: number): ArchitectureDiffRow[] {
  return align(a, b).flatMap(([i, j]): ArchitectureDiffRow[] => {
    if (i === null) return oneSided(b[j!]!, `${prefix.b}${j}`, depth, 'added')
    if (j === null) return oneSided(a[i]!, `${prefix.a}${i}`, depth, 'removed')
    const la = a[i]!
    const lb = b[j]!
    const sa = describe(la, `${prefix.a}${i}`)
    const sb = describe(lb, `${prefix.b}${j}`)
    const equal = same(la, lb)
    const row: ArchitectureDiffRow = {
      status: equal ? 'same' : 'changed',
      depth,
      a: sa,
      b: sb,
      changed: equal ? [] : changedFields(sa, sb)
    }
    if (la.kind !== 'residual' || lb.kind !== 'residual') return [row]
    return [row, ...diffLists(la.layers, lb.layers, { a: `${sa.path}.`, b: `${sb.path}.` }, depth + 1)]
  })
}

/** A's layers against B's, aligned: every layer of both appears once, in order. */
export function diffArchitectures(a: readonly Layer[], b: readonly Layer[]): ArchitectureDiffRow[] {
  return diffLists(a, b, { a: '', b: '' }, 0)
}

/** A row to draw, or a run of unchanged rows folded into one. */
export type ArchitectureDiffDisplayRow = { type: 'row'; row: ArchitectureDiffRow } | { type: 'unchanged'; rows: ArchitectureDiffRow[] }

/** Folds each run of at least `minRun` consecutive unchanged rows into one, so the differences stand out. */
export function collapseUnchanged(rows: readonly ArchitectureDiffRow[], minRun = 2): ArchitectureDiffDisplayRow[] {
  const out: ArchitectureDiffDisplayRow[] = []
  let run: ArchitectureDiffRow[] = []
  const flush = (): void => {
    if (run.length >= minRun) out.push({ type: 'unchanged', rows: run })
    else out.push(...run.map((row) => ({ type: 'row' as const, row })))
    run = []
  }
  for (const row of rows) {
    if (row.status === 'same') run.push(row)
    else {
      flush()
      out.push({ type: 'row', row })
    }
  }
  flush()
  return out
}

/** How many rows of each status: `{ same: 7, changed: 1, added: 2, removed: 0 }`. */
export function diffCounts(rows: readonly ArchitectureDiffRow[]): Record<LayerDiffStatus, number> {
  const counts: Record<LayerDiffStatus, number> = { same: 0, changed: 0, added: 0, removed: 0 }
  for (const r of rows) counts[r.status]++
  return counts
}

/** What a side of a row lists of its layer: parameters set away from the schema's default, and every changed one. */
export function shownFields(layer: DiffLayer, changed: readonly string[]): Array<{ name: string; value: string; changed: boolean }> {
  const defaults = new Map(layerFields(layer.kind).map((f) => [f.name, f.defaultValue]))
  return layer.fields
    .filter(([name, value]) => changed.includes(name) || defaults.get(name) !== value)
    .map(([name, value]) => ({
      name,
      value: typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value),
      changed: changed.includes(name)
    }))
}
