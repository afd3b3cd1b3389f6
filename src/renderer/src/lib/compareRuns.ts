/** Helpers for comparing runs: differing hyperparameters, fixed/broken images, stable colours. */
import { hparamsSchema } from '@shared/hparams'

// Rows follow the schema's field order (preset first), whatever order the records arrive in.
const FIELD_ORDER: string[] = Object.keys(hparamsSchema.shape)
const rank = (path: string): number => {
  const i = FIELD_ORDER.indexOf(path.split('.')[0])
  return i < 0 ? FIELD_ORDER.length : i
}

/** One hyperparameter that differs between the compared runs. */
export interface HparamDiffRow {
  /** Dotted path, e.g. `reduceLrOnPlateau.factor`. */
  path: string
  /** Values per run, in the order the runs were given. */
  values: unknown[]
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else {
    out.set(prefix, value)
  }
}

/** Hyperparameters (and seed) whose values are not the same across all runs. */
export function hparamDiff(runs: ReadonlyArray<{ hparams: unknown }>): HparamDiffRow[] {
  const flats = runs.map((r) => {
    const m = new Map<string, unknown>()
    flatten(r.hparams, '', m)
    return m
  })
  const paths = [...new Set(flats.flatMap((m) => [...m.keys()]))].sort((a, b) => rank(a) - rank(b))
  return paths
    .map((path) => ({ path, values: flats.map((m) => m.get(path)) }))
    .filter((row) => row.values.some((v) => JSON.stringify(v) !== JSON.stringify(row.values[0])))
}

/** Images run B got right and run A wrong (`fixed`), and the reverse (`broken`). */
export function fixedAndBroken(
  labels: ArrayLike<number>,
  predictedA: ArrayLike<number>,
  predictedB: ArrayLike<number>
): { fixed: number[]; broken: number[] } {
  const fixed: number[] = []
  const broken: number[] = []
  const n = Math.min(labels.length, predictedA.length, predictedB.length)
  for (let i = 0; i < n; i++) {
    const a = predictedA[i] === labels[i]
    const b = predictedB[i] === labels[i]
    if (b && !a) fixed.push(i)
    else if (a && !b) broken.push(i)
  }
  return { fixed, broken }
}

/** The palette is shared with the PDF report, so a run keeps its colour on paper. */
export { RUN_PALETTE } from '@shared/palette'
import { RUN_PALETTE } from '@shared/palette'

/** One colour per run, fixed by the run's rank among the compared ids, so every chart agrees. */
export function runColors(ids: readonly number[]): Map<number, string> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b)
  return new Map(sorted.map((id, i) => [id, RUN_PALETTE[i % RUN_PALETTE.length]]))
}

/** The run with the highest test accuracy, or null when none has finished. */
export function bestByTestAccuracy<T extends { testAccuracy: number | null }>(runs: readonly T[]): T | null {
  let best: T | null = null
  for (const r of runs) if (r.testAccuracy !== null && (best === null || r.testAccuracy > (best.testAccuracy ?? -1))) best = r
  return best
}
