/** The run list's warnings: every run whose history or test result shows it diverged, stayed at chance or had unsettled batch norm. */
import type { RunDiagnosisEntry } from '@shared/api'
import type { RunDetail, RunSummary } from '@shared/run'
import { diagnoseRun } from '@shared/run-diagnosis'

/** Where the runs come from (the run service, or the store in tests). */
export interface DiagnosisSource {
  list(): Promise<RunSummary[]>
  getMany(ids: number[]): Promise<RunDetail[]>
  /** Training images of a dataset by name, when known (built-ins' official counts are known without it). */
  trainCount?(dataset: string): Promise<number | null>
}

/**
 * The findings about one run's full record, with its dataset's class names (their number sets chance
 * level) and training-set size.
 */
export function diagnoseDetail(run: RunDetail, trainCount?: number | null): RunDiagnosisEntry['diagnoses'] {
  return diagnoseRun({
    hparams: run.hparams,
    history: run.history,
    testAccuracy: run.metrics?.testAccuracy ?? null,
    testLoss: run.metrics?.testLoss ?? null,
    confusion: run.metrics?.confusion ?? null,
    classNames: run.dataset.classNames,
    trainCount
  })
}

/** Findings for every run with at least one epoch; runs with none are left out. */
export async function runDiagnoses(source: DiagnosisSource): Promise<RunDiagnosisEntry[]> {
  const ids = (await source.list()).filter((r) => r.epochsDone > 0).map((r) => r.id)
  const entries: RunDiagnosisEntry[] = []
  for (const run of await source.getMany(ids)) {
    const diagnoses = diagnoseDetail(run, await source.trainCount?.(run.dataset.name))
    if (diagnoses.length > 0) entries.push({ runId: run.id, diagnoses })
  }
  return entries
}
