/** Serves `compare.significance`: loads what each side needs (predictions, or member accuracies) and runs the test. */
import type { TestSet } from '@shared/api'
import type { CompareSubject, Significance } from '@shared/significance'
import { testSetOf } from '@shared/same-test-set'
import { conflict, notFound } from '@main/core/errors'
import type { RunService } from '@main/core/runs/run-service'
import { groupSignificance, refusedRuns, runSignificance, runsRefusal, type GroupSample, type RunSample } from './compare-significance'

/** Where group members come from; the groups feature supplies it (until then every group id is unknown). */
export interface GroupSource {
  /** A group's label and its finished members' test accuracies; throws not_found for an unknown id. */
  sample(groupId: number): Promise<GroupSample>
}

/** Where the test labels come from: the dataset service's test set of a dataset, by name. */
export interface TestSetSource {
  testSet(name?: string): Promise<TestSet>
}

export interface SignificanceServiceDeps {
  runs: Pick<RunService, 'get' | 'predictions'>
  dataset: TestSetSource
  groups?: GroupSource
}

const noGroups: GroupSource = {
  sample: async (id) => {
    throw notFound(`Group ${id}`)
  }
}

export function runLabel(run: { id: number; name: string }): string {
  return `#${run.id} ${run.name}`
}

/**
 * The test labels of a dataset, checked to be that dataset's and to cover `count` predictions; a
 * conflict naming the dataset otherwise (nothing is tested on labels of another test set).
 */
export async function testLabelsFor(
  source: TestSetSource,
  dataset: { name: string; title: string },
  count: number
): Promise<ArrayLike<number>> {
  const set = await source.testSet(dataset.name)
  if (set.dataset !== dataset.name) {
    throw conflict(
      `The test labels of ${dataset.title} are not available (the dataset service answered with those of ${set.dataset}); ` +
        `nothing was compared. Check that ${dataset.title} is ready in Datasets.`
    )
  }
  if (set.labels.length !== count) {
    throw conflict(
      `The stored predictions (${count}) do not cover the ${set.labels.length} test images of ${dataset.title} as it is on disk now; ` +
        `nothing was compared. Check ${dataset.title} in Datasets.`
    )
  }
  return set.labels
}

export function createSignificanceService(deps: SignificanceServiceDeps) {
  const groups = deps.groups ?? noGroups

  async function runSample(id: number): Promise<RunSample> {
    const run = await deps.runs.get(id)
    const predictions = await deps.runs.predictions(id)
    if (!predictions) {
      throw conflict(
        `${runLabel(run)} is ${run.status} and has no test predictions yet; they are stored when a run completes, ` +
          'and the test needs both runs’ predictions.'
      )
    }
    return { id, label: runLabel(run), predicted: predictions.predicted, testSet: testSetOf(run), testAccuracy: run.testAccuracy }
  }

  /** A run on the group side of a comparison counts as a group of one. */
  async function groupSample(subject: CompareSubject): Promise<GroupSample> {
    if (subject.kind === 'group') return groups.sample(subject.id)
    const run = await deps.runs.get(subject.id)
    const finished = run.testAccuracy !== null
    return {
      id: run.id,
      label: runLabel(run),
      memberAccuracies: finished ? [run.testAccuracy!] : [],
      testSets: finished ? [testSetOf(run)] : []
    }
  }

  async function significance(a: CompareSubject, b: CompareSubject): Promise<Significance> {
    if (a.kind === 'run' && b.kind === 'run') {
      const sa = await runSample(a.id)
      const sb = await runSample(b.id)
      // Paired tests need the same test images: other datasets (or other files of one) are shown side by side, untested.
      const refusal = runsRefusal(sa, sb)
      if (refusal) return refusedRuns(sa, sb, refusal)
      const count = Math.max(sa.predicted.length, sb.predicted.length)
      const labels = await testLabelsFor(deps.dataset, sa.testSet, count)
      if (sa.predicted.length !== labels.length || sb.predicted.length !== labels.length) {
        throw conflict(
          `The stored predictions (${sa.predicted.length} and ${sb.predicted.length}) do not cover the ${labels.length} test images of ` +
            `${sa.testSet.title}; nothing was compared. Check ${sa.testSet.title} in Datasets.`
        )
      }
      return runSignificance(labels, sa, sb)
    }
    const ga = await groupSample(a)
    const gb = await groupSample(b)
    try {
      return groupSignificance(ga, gb)
    } catch (error) {
      if (error instanceof RangeError) throw conflict(error.message)
      throw error
    }
  }

  return { significance }
}

export type SignificanceService = ReturnType<typeof createSignificanceService>
