/** Helpers for comparing runs: differing hyperparameters, fixed/broken images, stable colours. */
// Written once in the Compare model, which the PDF report draws too.
export { hparamDiff, type HparamDiffRow } from '@shared/compare-model'

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
