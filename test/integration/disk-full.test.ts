/**
 * A disk that fills during a checkpoint write, for real: the database and model files live on a
 * 2 MB tmpfs, so the first checkpoint of a dense run fits and the second does not. The run fails
 * with a message that says so; its first epoch, that epoch's checkpoint and the database stay
 * intact; after the disk grows, Resume finishes the run.
 *
 * Mounting needs root on Linux; elsewhere the test is skipped with the reason (the same failure is
 * covered everywhere by test/unit/main/core/models/write-durable.test.ts with an injected write).
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeHparams } from '@shared/hparams'
import { createCore, forkTrainer, type Core } from '@main/core/core'
import { realDataDir } from '../helpers/real-data'
import { mountTmpfs } from '../helpers/tmpfs'

const { dir: dataDir, reason } = realDataDir()
const disk = mountTmpfs('2m', 'disk-full test')
const { dir: mountPoint, mounted } = disk

describe.skipIf(!dataDir || !mounted)(`a disk that fills during a checkpoint write${reason}`, () => {
  let core: Core
  beforeAll(async () => {
    core = await createCore({
      dataDir: dataDir as string,
      dbPath: join(mountPoint, 'atelier.db'),
      appVersion: 'test',
      dataDirLocked: true,
      settingsPath: null,
      spawnTrainer: forkTrainer,
      dialogs: { saveFile: async () => null, openFolder: async () => null }
    })
  })
  afterAll(async () => {
    await core?.shutdown({ cancelRunning: true })
  })

  it('fails the run with a clear message, keeps epoch 1 and its checkpoint, and resumes once there is room', async () => {
    const h = completeHparams({ preset: 'dense', epochs: 3, trainSubset: 2000 })
    if (!h.ok) throw new Error('bad hparams')
    const run = await core.runs.start(h.value, 'disk fills')
    const outcome = await core.runs.queue.outcome(run.id)
    expect(outcome?.status).toBe('failed')
    const failed = await core.runs.get(run.id)
    expect(failed.errorMessage).toMatch(
      /^Could not save the checkpoint of epoch 2 in .*: the disk is full\. Epoch 2 was not recorded; the run keeps its first 1 epoch and the checkpoint of epoch 1\. Free some disk space, then resume the run\.$/
    )
    expect(failed.history.map((e) => e.epoch)).toEqual([1])
    expect((await core.models.modelInfo(run.id)).checkpointEpoch).toBe(1)
    expect(readdirSync(join(core.models.modelsDir, `run-${run.id}`))).toEqual(['checkpoint-0001.atm'])

    expect(disk.resize('16m')).toBe(true)
    await core.runs.resume(run.id)
    expect((await core.runs.queue.outcome(run.id))?.status).toBe('completed')
    const done = await core.runs.get(run.id)
    expect(done.history.map((e) => e.epoch)).toEqual([1, 2, 3])
    expect(done.history[0]).toEqual(failed.history[0])
    expect(done.resumePoints).toMatchObject([{ kind: 'resumed', afterEpoch: 1 }])
  })
})

afterAll(() => disk.remove())
