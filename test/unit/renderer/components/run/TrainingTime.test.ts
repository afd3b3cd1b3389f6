/** One definition of a run's duration: the Experiments row and the run page show the same training time. */
import { describe, expect, it } from 'vitest'
import type { RunDetail } from '@shared/run'
import { defaultHparams } from '@shared/hparams'
import RunSetup from '@renderer/components/run/RunSetup.vue'
import { buildRunColumns } from '@renderer/components/experiments/runColumns'
import { duration } from '@renderer/lib/format'
import { makeRun } from '../../fixtures/fakeAtelier'
import { mountWithProviders } from '../../fixtures/mountWithProviders'
import { builtinRef } from '@shared/dataset'

// Resumed after an interruption: 2 m 05 s from first start to finish, 50 s of it training.
const resumed: RunDetail = {
  ...makeRun({
    id: 4,
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:02:05.000Z',
    epochsDone: 2,
    epochsPlanned: 2,
    trainingMs: 50_000
  }),
  hparams: defaultHparams('dense'),
  notes: '',
  seed: 42,
  datasetChecksum: null,
  dataset: builtinRef('fashion-mnist')!,
  backendInfo: null,
  appVersion: 't',
  history: [],
  metrics: null,
  resumePoints: [{ afterEpoch: 1, kind: 'resumed', at: '2026-01-01T10:01:30.000Z', previousTestAccuracy: null, previousTestLoss: null }]
}

describe('training time', () => {
  it('is the same in the Experiments row and on the run page, and is not the wall time of a resumed run', () => {
    const columns = buildRunColumns({
      sort: { key: 'createdAt', order: 'descend' },
      now: Date.parse('2026-01-01T12:00:00.000Z'),
      progressOf: () => undefined,
      fractionOf: () => 0,
      onAction: () => undefined,
      onOpenGroup: () => undefined
    })
    const column = columns.find((c) => 'key' in c && c.key === 'duration') as unknown as { render: (row: unknown) => unknown }
    const inList = column.render(resumed)
    const wrapper = mountWithProviders(RunSetup, { run: resumed, model: null })
    const onPage = document.querySelector('[data-testid="run-training-time"] dd')?.textContent
    expect(inList).toBe(duration(50_000))
    expect(onPage).toBe(inList)
    expect(document.querySelector('[data-testid="run-training-time"]')?.getAttribute('title')).toMatch(/sum of the epochs/)
    wrapper.unmount()
  })
})
