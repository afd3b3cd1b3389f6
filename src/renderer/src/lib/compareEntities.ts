/** What Compare lays side by side: single runs, and groups of seed repeats summarised by mean and spread. */
import type { RunDetail } from '@shared/run'
import { spreadOf, type Spread } from '@shared/spread'
import { entityColorMap } from '@shared/palette'

/** One compared thing: a run, or a group standing for its members. */
export interface CompareEntity {
  /** `r<id>` or `g<id>`: unique across runs and groups. */
  key: string
  kind: 'run' | 'group'
  id: number
  name: string
  /** The run itself, or the group's members in seed order. */
  runs: RunDetail[]
}

/** The label every chart and table uses: `#12 name` for a run, `g3 name` for a group. */
export const entityLabel = (e: CompareEntity): string => (e.kind === 'run' ? `#${e.id} ${e.name}` : `g${e.id} ${e.name}`)

/** One colour per entity, runs first by id, then groups by id, so every chart agrees and the order never depends on the URL. */
export function entityColors(entities: readonly CompareEntity[]): Map<string, string> {
  return entityColorMap(entities)
}

// Shared with the PDF report, which draws the same bands.
export { meanCurve, type CurvePoint } from '@shared/spread'

/** Test accuracy of an entity: the run's own, or the spread over the members that finished. */
export function entityTestAccuracy(e: CompareEntity): Spread | null {
  return spreadOf(e.runs.map((r) => r.metrics?.testAccuracy ?? null))
}
