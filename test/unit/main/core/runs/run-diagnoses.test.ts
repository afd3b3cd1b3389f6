/** The run list's warnings come from the core, through the contract, for the runs that need one. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunDiagnosisEntry } from '@shared/api'
import { createCore, forkTrainer } from '@main/core/core'
import { storeFinishedRun } from '../../../../helpers/stored-runs'

const dir = mkdtempSync(join(tmpdir(), 'atelier-diagnoses-'))
const core = createCore({
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
    const healthy = storeFinishedRun(core, { name: 'healthy', labels, right: (i) => i % 10 !== 0 })
    const rising = [2, 8, 14.5].map((loss, i) => ({
      epoch: i + 1,
      loss,
      accuracy: 0.1,
      valLoss: loss,
      valAccuracy: 0.1,
      learningRate: 1,
      durationMs: 10
    }))
    const nonsense = storeFinishedRun(core, { name: 'nonsense', labels, right: () => false, history: rising, learningRate: 1 })
    const result = await core.route('runs.diagnoses', {})
    if (!result.ok) throw new Error(result.error.message)
    const entries = result.data as RunDiagnosisEntry[]
    expect(entries.map((e) => e.runId)).toEqual([nonsense.id])
    expect(entries[0]!.diagnoses.map((d) => d.kind)).toEqual(['diverged', 'chance'])
    expect(entries[0]!.diagnoses[1]!.advice).toContain('lower the learning rate')
    expect(entries.some((e) => e.runId === healthy.id)).toBe(false)
  })
})
