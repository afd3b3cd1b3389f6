/** What Compare lays side by side: single runs, and groups of seed repeats summarised by mean and spread. */
import type { EpochRecord, RunDetail } from '@shared/run'
import { spreadOf, type Spread } from '@shared/spread'
import { RUN_PALETTE } from './compareRuns'

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
  const sorted = [...entities].sort((a, b) => (a.kind === b.kind ? a.id - b.id : a.kind === 'run' ? -1 : 1))
  return new Map(sorted.map((e, i) => [e.key, RUN_PALETTE[i % RUN_PALETTE.length]!]))
}

/** A curve's value at one epoch over a group's members. */
export interface CurvePoint extends Spread {
  epoch: number
}

/** Mean, sample std, min and max of a metric at each epoch, over the members that recorded that epoch. */
export function meanCurve(runs: readonly RunDetail[], metric: keyof Omit<EpochRecord, 'epoch'>): CurvePoint[] {
  const byEpoch = new Map<number, number[]>()
  for (const run of runs) for (const h of run.history) byEpoch.set(h.epoch, [...(byEpoch.get(h.epoch) ?? []), h[metric]])
  return [...byEpoch]
    .sort(([a], [b]) => a - b)
    .flatMap(([epoch, values]) => {
      const s = spreadOf(values)
      return s ? [{ epoch, ...s }] : []
    })
}

/** Test accuracy of an entity: the run's own, or the spread over the members that finished. */
export function entityTestAccuracy(e: CompareEntity): Spread | null {
  return spreadOf(e.runs.map((r) => r.metrics?.testAccuracy ?? null))
}
