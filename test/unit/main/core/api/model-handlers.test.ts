/**
 * Trained-model channels through the real router and core on a temp database: resume and train more
 * refuse runs without a usable checkpoint with a clear message and change nothing; sizes, dropping
 * checkpoints and deleting a run act on the files. Model files are real ones made by the trainer's code.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiResult, DroppedCheckpoints, ModelStorage } from '@shared/api'
import { defaultHparams } from '@shared/hparams'
import { createCore, type Core } from '@main/core/core'
import { CoreError } from '@main/core/errors'
import { modelFileBytes, recordRunFiles } from '../../../../helpers/model-files'
import { WASM_BACKEND, epochRecord, sampleMetrics, samplePredictions } from '../store/fixtures/sample-run'

let dir: string
let core: Core
let modelBytes: number

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-models-api-'))
  core = await createCore({
    dataDir: join(dir, 'data'),
    dbPath: join(dir, 'atelier.db'),
    appVersion: 'test',
    settingsPath: null,
    cores: 1,
    spawnTrainer: () => {
      throw new Error('no trainer may start in these tests')
    },
    dialogs: { saveFile: async () => null, openFolder: async () => null }
  })
})
afterAll(async () => {
  await core.shutdown({ cancelRunning: true })
  rmSync(dir, { recursive: true, force: true })
})

/** A run that trained 2 epochs, with files written as the trainer writes them, ended as `status`. */
async function trainedRun(status: 'completed' | 'failed', files: { checkpoint: boolean; model: boolean }): Promise<number> {
  const { store } = core
  const run = await store.runs.insert({ name: status, hparams: { ...defaultHparams('dense'), epochs: 2 }, appVersion: 't' })
  await store.runs.markRunning(run.id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: new Date().toISOString() })
  for (const e of [1, 2]) await store.epochs.append(run.id, epochRecord(e))
  const bytes = await modelFileBytes({ runId: run.id, storeId: core.models.storeId })
  modelBytes = bytes.model.byteLength
  await recordRunFiles(core, run.id, { checkpoint: files.checkpoint ? bytes.checkpoint : undefined })
  if (status === 'completed') await store.results.save(run.id, sampleMetrics(), samplePredictions(10))
  await recordRunFiles(core, run.id, { model: files.model ? bytes.model : undefined })
  await store.runs.finish(run.id, {
    status,
    finishedAt: new Date().toISOString(),
    errorMessage: status === 'failed' ? 'trainer killed' : null
  })
  return run.id
}

/** The error message of a refused request (fails the test when it succeeded). */
function refusal(r: { ok: boolean; error?: { message: string } }): string {
  expect(r.ok).toBe(false)
  return r.error?.message ?? ''
}

const unchanged = async (id: number, status: string) =>
  expect(await core.runs.get(id)).toMatchObject({ status, epochsDone: 2, resumePoints: [], history: [{ epoch: 1 }, { epoch: 2 }] })

describe('trained-model channels', () => {
  it('resume of a run without a checkpoint says so and changes nothing', async () => {
    const id = await trainedRun('failed', { checkpoint: false, model: false })
    const r = await core.route('runs.resume', { id })
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(refusal(r)).toMatch(
      /^Run \d+ has no checkpoint: it completed no epoch, or it was trained before Atelier kept checkpoints\. Nothing was changed/
    )
    await unchanged(id, 'failed')
  })

  it('resume with a truncated or corrupted checkpoint says which, and leaves run, history and file as they were', async () => {
    for (const [damage, message] of [
      [
        (b: Buffer) => b.subarray(0, b.byteLength - 100),
        /checkpoint of run \d+ .* is truncated: .* data bytes are there\. The run and its history were left unchanged/
      ],
      [
        (b: Buffer) => Buffer.from(b.map((x, i) => (i === b.byteLength - 50 ? x ^ 1 : x))),
        /is damaged: its contents \(layout, training state or weights\) do not match the checksum/
      ]
    ] as const) {
      const id = await trainedRun('failed', { checkpoint: true, model: false })
      const path = join(core.models.modelsDir, `run-${id}`, 'checkpoint-0002.atm')
      const damaged = damage(readFileSync(path))
      writeFileSync(path, damaged)
      const r = await core.route('runs.resume', { id })
      expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } })
      expect(refusal(r)).toMatch(message)
      await unchanged(id, 'failed')
      expect(readFileSync(path).equals(damaged)).toBe(true)
    }
  })

  it('resume and train more refuse the wrong status, pointing to the other action', async () => {
    const done = await trainedRun('completed', { checkpoint: true, model: true })
    const r = await core.route('runs.resume', { id: done })
    expect(refusal(r)).toMatch(/only interrupted, failed or cancelled runs can be resumed \(use Train more to extend it\)/)
    const failed = await trainedRun('failed', { checkpoint: true, model: false })
    const t = await core.route('runs.trainMore', { id: failed, epochs: 3 })
    expect(refusal(t)).toMatch(/only completed runs can be trained further \(use Resume to finish it first\)/)
    expect(await core.route('runs.trainMore', { id: done, epochs: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    const tooMany = await core.route('runs.trainMore', { id: done, epochs: 499 })
    expect(refusal(tooMany)).toMatch(/cannot be trained 499 more epochs: epochs/)
    await unchanged(done, 'completed')
    await unchanged(failed, 'failed')
  })

  it('reports sizes, drops checkpoints of completed runs keeping their models, and deletes files with the run', async () => {
    const done = await trainedRun('completed', { checkpoint: true, model: true })
    const failed = await trainedRun('failed', { checkpoint: true, model: false })
    const info = await core.route('runs.modelInfo', { id: done })
    expect(info).toEqual({
      ok: true,
      data: {
        runId: done,
        modelEpoch: 2,
        modelBytes,
        checkpointEpoch: 2,
        checkpointBytes: expect.any(Number),
        totalBytes: expect.any(Number),
        format: 'atelier-model/2'
      }
    })
    const before = (await core.route('models.storage', {})) as ApiResult<ModelStorage>
    const dropped = (await core.route('models.dropCheckpoints', {})) as ApiResult<DroppedCheckpoints>
    expect(dropped.ok && dropped.data.runs).toBeGreaterThanOrEqual(1)
    const after = (await core.route('models.storage', {})) as ApiResult<ModelStorage>
    expect(before.ok && after.ok && dropped.ok).toBe(true)
    if (before.ok && after.ok && dropped.ok) {
      expect(after.data.checkpoint).toBe(before.data.checkpoint - dropped.data.bytes)
      expect(after.data.model).toBe(before.data.model)
    }
    expect(readdirSync(join(core.models.modelsDir, `run-${done}`))).toEqual(['model-0002.atm'])
    expect((await core.models.modelInfo(failed)).checkpointEpoch).toBe(2)
    // The kept model still loads in tf.js.
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(await core.models.loadModelArtifacts(done)))
    expect(loaded.countParams()).toBe(118_282)
    loaded.dispose()
    const again = await core.route('runs.trainMore', { id: done, epochs: 1 })
    expect(refusal(again)).toMatch(/no checkpoint left \(checkpoints of finished runs were dropped to save disk\)/)

    expect(await core.route('runs.delete', { ids: [done, failed] })).toEqual({ ok: true, data: { deleted: 2 } })
    expect(existsSync(join(core.models.modelsDir, `run-${done}`))).toBe(false)
    expect(existsSync(join(core.models.modelsDir, `run-${failed}`))).toBe(false)
  })

  it('loadModelArtifacts explains a run without a model', async () => {
    const id = await trainedRun('failed', { checkpoint: false, model: false })
    await expect(core.models.loadModelArtifacts(id)).rejects.toThrow(CoreError)
    await expect(core.models.loadModelArtifacts(id)).rejects.toThrow(/has no trained model/)
  })
})
