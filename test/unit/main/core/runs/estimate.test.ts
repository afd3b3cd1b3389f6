/** Time estimates come from this store's completed runs of the preset, never from built-in figures. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { openRunStore, type RunStore } from '@main/core/store'
import { createRunService } from '@main/core/runs/run-service'
import { WASM_BACKEND, epochRecord } from '../store/fixtures/sample-run'
import { fashionLocation } from '../../../../helpers/real-data'

let store: RunStore
beforeEach(async () => (store = await openRunStore(':memory:')))
afterEach(async () => await store.close())

function service() {
  return createRunService({
    store,
    models: {} as never,
    spawn: () => {
      throw new Error('no trainer here')
    },
    dataset: async () => ({ location: fashionLocation('/data'), trainCount: 60_000 }),
    appVersion: 't',
    concurrency: 1,
    emit: () => undefined
  })
}

/** A completed run of `epochs` epochs over `subset` images, each epoch taking `ms`. */
async function completed(
  preset: 'dense' | 'cnn-bn',
  subset: number,
  epochs: number,
  ms: number,
  status: 'completed' | 'failed' = 'completed'
) {
  const run = await store.runs.insert({
    name: 'past',
    hparams: { ...defaultHparams(preset), trainSubset: subset, epochs },
    appVersion: 't'
  })
  await store.runs.markRunning(run.id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: '2026-01-01T00:00:00.000Z' })
  for (let e = 1; e <= epochs; e++) await store.epochs.append(run.id, { ...epochRecord(e), durationMs: ms })
  await store.runs.finish(run.id, { status, finishedAt: '2026-01-01T01:00:00.000Z' })
}

describe('run time estimates', () => {
  it('says "no estimate" before any run of the preset completed here, whatever failed', async () => {
    await completed('dense', 1000, 1, 5000, 'failed')
    expect(await service().estimate([defaultHparams('dense')])).toEqual([{ seconds: null, basedOnRuns: 0, mayStopEarly: false }])
  })

  it("scales the recorded time per image to the new run's epochs and images, per preset", async () => {
    // 2 epochs × 1,000 images in 6 s: 3 ms per image.
    await completed('dense', 1000, 2, 3000)
    const [dense, bn] = await service().estimate([{ ...defaultHparams('dense'), epochs: 5, trainSubset: 2000 }, defaultHparams('cnn-bn')])
    expect(dense!.seconds).toBeCloseTo(30)
    expect(dense!.basedOnRuns).toBe(1)
    expect(bn!.seconds).toBeNull()
  })
})
