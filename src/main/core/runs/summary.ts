import type { RunDetail, RunSummary } from '@shared/run'

/** The list-row fields of a run detail (events and lists carry summaries, not histories). */
export function toSummary(detail: RunDetail | RunSummary): RunSummary {
  const {
    id,
    name,
    preset,
    status,
    createdAt,
    startedAt,
    finishedAt,
    epochsDone,
    epochsPlanned,
    bestValAccuracy,
    testAccuracy,
    testLoss,
    backend,
    tags,
    errorMessage,
    groupId,
    sweepId,
    hp,
    notes,
    version,
    trainingMs,
    ownedElsewhere
  } = detail
  return {
    id,
    name,
    preset,
    status,
    createdAt,
    startedAt,
    finishedAt,
    epochsDone,
    epochsPlanned,
    bestValAccuracy,
    testAccuracy,
    testLoss,
    backend,
    tags,
    errorMessage,
    groupId,
    sweepId,
    hp,
    notes,
    version,
    trainingMs,
    ownedElsewhere
  }
}
