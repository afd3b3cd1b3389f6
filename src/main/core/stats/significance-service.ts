/** Serves `compare.significance`: loads what each side needs (predictions, or member accuracies) and runs the test. */
import type { CompareSubject, Significance } from '@shared/significance'
import type { DatasetService } from '@main/core/dataset/dataset-service'
import { conflict, notFound } from '@main/core/errors'
import type { RunService } from '@main/core/runs/run-service'
import { groupSignificance, runSignificance, type GroupSample, type RunSample } from './compare-significance'

/** Where group members come from; the groups feature supplies it (until then every group id is unknown). */
export interface GroupSource {
  /** A group's label and its finished members' test accuracies; throws not_found for an unknown id. */
  sample(groupId: number): GroupSample
}

export interface SignificanceServiceDeps {
  runs: RunService
  dataset: DatasetService
  groups?: GroupSource
}

const noGroups: GroupSource = {
  sample: (id) => {
    throw notFound(`Group ${id}`)
  }
}

export function runLabel(run: { id: number; name: string }): string {
  return `#${run.id} ${run.name}`
}

export function createSignificanceService(deps: SignificanceServiceDeps) {
  const groups = deps.groups ?? noGroups

  function runSample(id: number): RunSample {
    const run = deps.runs.get(id)
    const predictions = deps.runs.predictions(id)
    if (!predictions) {
      throw conflict(
        `${runLabel(run)} is ${run.status} and has no test predictions yet; they are stored when a run completes, ` +
          'and the test needs both runs’ predictions.'
      )
    }
    return { id, label: runLabel(run), predicted: predictions.predicted }
  }

  /** A run on the group side of a comparison counts as a group of one. */
  function groupSample(subject: CompareSubject): GroupSample {
    if (subject.kind === 'group') return groups.sample(subject.id)
    const run = deps.runs.get(subject.id)
    return { id: run.id, label: runLabel(run), memberAccuracies: run.testAccuracy === null ? [] : [run.testAccuracy] }
  }

  async function significance(a: CompareSubject, b: CompareSubject): Promise<Significance> {
    if (a.kind === 'run' && b.kind === 'run') {
      const [sa, sb] = [runSample(a.id), runSample(b.id)]
      const { labels } = await deps.dataset.testSet()
      if (sa.predicted.length !== labels.length || sb.predicted.length !== labels.length) {
        throw conflict(
          `The stored predictions (${sa.predicted.length} and ${sb.predicted.length}) do not cover the ${labels.length} test images of ` +
            'the current dataset; check the dataset folder in Settings.'
        )
      }
      return runSignificance(labels, sa, sb)
    }
    try {
      return groupSignificance(groupSample(a), groupSample(b))
    } catch (error) {
      if (error instanceof RangeError) throw conflict(error.message)
      throw error
    }
  }

  return { significance }
}

export type SignificanceService = ReturnType<typeof createSignificanceService>
