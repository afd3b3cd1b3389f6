import type { RunDetail, RunSummary } from '@shared/run'

/** Every field of a list row, once: `satisfies` fails the build when RunSummary gains or loses one. */
const SUMMARY_FIELDS = {
  id: true,
  name: true,
  preset: true,
  architectureName: true,
  status: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  epochsDone: true,
  epochsPlanned: true,
  bestValAccuracy: true,
  testAccuracy: true,
  testLoss: true,
  backend: true,
  tags: true,
  errorMessage: true,
  groupId: true,
  sweepId: true,
  hp: true,
  notes: true,
  version: true,
  trainingMs: true,
  ownedElsewhere: true
} as const satisfies Record<keyof RunSummary, true>

const KEYS = Object.keys(SUMMARY_FIELDS) as (keyof RunSummary)[]

/** The list-row fields of a run detail (events and lists carry summaries, not histories). */
export function toSummary(detail: RunDetail | RunSummary): RunSummary {
  return Object.fromEntries(KEYS.map((key) => [key, detail[key]])) as unknown as RunSummary
}
