/**
 * Two run databases in one folder (`a/one.db`, `a/two.db`) each keep their own model files: training
 * run 1 in both, then training one further and deleting the other's run 1 leaves every file of the
 * first in place. (Before each store had its own folder, both wrote `models/run-1/` and deleted each
 * other's checkpoints and models.)
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { completeHparams } from '@shared/hparams'
import { createCore, forkTrainer, type Core } from '@main/core/core'
import { realDataDir } from '../helpers/real-data'

const real = realDataDir()

describe.skipIf(!real.dir)(`two databases in one folder${real.reason}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-two-stores-'))
  const cores: Core[] = []
  const open = async (name: string): Promise<Core> => {
    const core = await createCore({
      dataDir: real.dir!,
      dbPath: join(dir, name),
      appVersion: 'test',
      dataDirLocked: true,
      settingsPath: null,
      spawnTrainer: forkTrainer,
      dialogs: { saveFile: async () => null, openFolder: async () => null }
    })
    cores.push(core)
    return core
  }
  afterAll(async () => {
    for (const core of cores) await core.shutdown({ cancelRunning: true })
    rmSync(dir, { recursive: true, force: true })
  })

  async function train(core: Core, seed: number): Promise<number> {
    const h = completeHparams({ preset: 'dense', epochs: 2, trainSubset: 1000, seed })
    if (!h.ok) throw new Error('bad hparams')
    const run = await core.runs.start(h.value, `seed ${seed}`)
    expect((await core.runs.queue.outcome(run.id))?.status).toBe('completed')
    return run.id
  }

  it("train-more in one and delete in the other keep the first store's files", async () => {
    const one = await open('one.db')
    const two = await open('two.db')
    expect(await train(one, 1)).toBe(1)
    expect(await train(two, 2)).toBe(1)
    expect(one.models.modelsDir).not.toBe(two.models.modelsDir)
    expect(readdirSync(join(dir, 'models')).sort()).toEqual([one.models.storeId, two.models.storeId].sort())

    // two.db's run 1 trains further: one.db's checkpoint and model stay.
    await two.runs.trainMore(1, 1)
    expect((await two.runs.queue.outcome(1))?.status).toBe('completed')
    expect((await one.models.verifiedCheckpoint(1)).epoch).toBe(2)
    expect((await one.models.loadModelArtifacts(1)).weightData).toBeDefined()

    // one.db's run 1 trains further from its own checkpoint.
    await one.runs.trainMore(1, 1)
    expect((await one.runs.queue.outcome(1))?.status).toBe('completed')
    expect((await one.runs.get(1)).history.map((e) => e.epoch)).toEqual([1, 2, 3])

    // Deleting run 1 and dropping checkpoints in two.db touches none of one.db's files.
    await two.models.dropCheckpoints()
    await two.runs.delete([1])
    expect(existsSync(join(two.models.modelsDir, 'run-1'))).toBe(false)
    expect(readdirSync(join(one.models.modelsDir, 'run-1')).sort()).toEqual(['checkpoint-0003.atm', 'model-0003.atm'])
    expect((await one.models.verifiedCheckpoint(1)).epoch).toBe(3)
    expect((await one.models.loadModelArtifacts(1)).weightData).toBeDefined()
  })
})
