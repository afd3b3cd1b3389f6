/** What Compare lays side by side: single runs, and groups of seed repeats summarised by mean and spread (the one Compare model, shared with the PDF report). */
import type { CompareEntity } from '@shared/compare-model'
import { spreadOf, type Spread } from '@shared/spread'

export { compareModel, type CompareEntity, type CompareModel } from '@shared/compare-model'
export { meanCurve, type CurvePoint } from '@shared/spread'

/** The label every chart and table uses: `#12 name` for a run, `g3 name` for a group. */
export const entityLabel = (e: Pick<CompareEntity, 'label'>): string => e.label

/** Test accuracy of an entity: the run's own, or the spread over the members that finished. */
export function entityTestAccuracy(e: Pick<CompareEntity, 'runs'>): Spread | null {
  return spreadOf(e.runs.map((r) => r.metrics?.testAccuracy ?? null))
}
