/** The run list's warnings: every run whose history or test result shows it diverged, stayed at chance or had unsettled batch norm. */
import type { RunDiagnosisEntry } from '@shared/api'
import { CLASS_NAMES } from '@shared/classes'
import type { RunDetail, RunSummary } from '@shared/run'
import { diagnoseRun } from '@shared/run-diagnosis'

/** Where the runs come from (the run service, or the store in tests). */
export interface DiagnosisSource {
  list(): RunSummary[]
  getMany(ids: number[]): RunDetail[]
}

/** The findings about one run's full record. */
export function diagnoseDetail(run: RunDetail): RunDiagnosisEntry['diagnoses'] {
  return diagnoseRun({
    hparams: run.hparams,
    history: run.history,
    testAccuracy: run.metrics?.testAccuracy ?? null,
    testLoss: run.metrics?.testLoss ?? null,
    confusion: run.metrics?.confusion ?? null,
    classNames: CLASS_NAMES
  })
}

/** Findings for every run with at least one epoch; runs with none are left out. */
export function runDiagnoses(source: DiagnosisSource): RunDiagnosisEntry[] {
  const ids = source
    .list()
    .filter((r) => r.epochsDone > 0)
    .map((r) => r.id)
  const entries: RunDiagnosisEntry[] = []
  for (const run of source.getMany(ids)) {
    const diagnoses = diagnoseDetail(run)
    if (diagnoses.length > 0) entries.push({ runId: run.id, diagnoses })
  }
  return entries
}
