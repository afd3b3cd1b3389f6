/** The run list's warnings come from the core, through the contract, for the runs that need one. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunDiagnosisEntry } from '@shared/api'
import { createCore, forkTrainer } from '@main/core/core'
import { runDiagnoses } from '@main/core/runs/run-diagnoses'
import { builtinRef } from '@shared/dataset'
import { defaultHparams } from '@shared/hparams'
import type { RunDetail, RunSummary } from '@shared/run'
import { storeFinishedRun } from '../../../../helpers/stored-runs'

const dir = mkdtempSync(join(tmpdir(), 'atelier-diagnoses-'))
const core = await createCore({
  dataDir: join(dir, 'data'),
  dbPath: join(dir, 'atelier.db'),
  appVersion: 'test',
  settingsPath: null,
  spawnTrainer: forkTrainer,
  dialogs: { saveFile: async () => null, openFolder: async () => null },
  cores: 1
})
afterAll(async () => {
  await core.shutdown({ cancelRunning: true })
  rmSync(dir, { recursive: true, force: true })
})

describe('runs.diagnoses', () => {
  it('lists the runs that diverged or ended at chance level, with what to try, and leaves healthy runs out', async () => {
    const labels = Array.from({ length: 1000 }, (_, i) => i % 10)
    const healthy = await storeFinishedRun(core, { name: 'healthy', labels, right: (i) => i % 10 !== 0 })
    const rising = [2, 8, 14.5].map((loss, i) => ({
      epoch: i + 1,
      loss,
      accuracy: 0.1,
      valLoss: loss,
      valAccuracy: 0.1,
      learningRate: 1,
      durationMs: 10
    }))
    const nonsense = await storeFinishedRun(core, { name: 'nonsense', labels, right: () => false, history: rising, learningRate: 1 })
    const result = await core.route('runs.diagnoses', {})
    if (!result.ok) throw new Error(result.error.message)
    const entries = result.data as RunDiagnosisEntry[]
    expect(entries.map((e) => e.runId)).toEqual([nonsense.id])
    expect(entries[0]!.diagnoses.map((d) => d.kind)).toEqual(['diverged', 'chance'])
    expect(entries[0]!.diagnoses[1]!.advice).toContain('lower the learning rate')
    expect(entries.some((e) => e.runId === healthy.id)).toBe(false)
  })
})

describe("diagnoses on the run's dataset", () => {
  const history = [1, 2, 3].map((epoch) => ({
    epoch,
    loss: 1.3,
    accuracy: 0.3,
    valLoss: 1.3,
    valAccuracy: 0.3,
    learningRate: 0.001,
    durationMs: 10
  }))
  function detail(id: number, classNames: string[], testAccuracy: number): RunDetail {
    const dataset = { ...builtinRef('mnist')!, name: 'shapes', title: 'Shapes', source: 'folder' as const, classNames }
    return {
      id,
      hparams: { ...defaultHparams('dense'), dataset: 'shapes' },
      history,
      dataset,
      metrics: {
        testAccuracy,
        testLoss: 1.3,
        perClass: [],
        confusion: classNames.map((_, i) => classNames.map((_, j) => (i === j ? 3 : 1)))
      },
      epochsDone: 3
    } as unknown as RunDetail
  }
  const source = (runs: RunDetail[]) => ({
    list: async () => runs.map((r) => ({ id: r.id, epochsDone: 3 }) as RunSummary),
    getMany: async (ids: number[]) => runs.filter((r) => ids.includes(r.id)),
    trainCount: async () => 400
  })

  it('puts chance level at 1/4 for a 4-class dataset, naming the classes', async () => {
    // 27 % is chance level for 4 classes (25 % + 5 points), not for Fashion-MNIST's 10 (10 %).
    const entries = await runDiagnoses(
      source([detail(1, ['cat', 'dog', 'お', 'bird'], 0.27), detail(2, ['cat', 'dog', 'お', 'bird'], 0.31)])
    )
    expect(entries.map((e) => e.runId)).toEqual([1])
    expect(entries[0]!.diagnoses[0]).toMatchObject({ kind: 'chance' })
    expect(entries[0]!.diagnoses[0]!.detail).toContain('chance level for 4 classes (25.00 %)')
  })
})
