/**
 * Model files are trusted only when checked, through the real CLI: a file whose layout or training
 * state was edited, a valid file of another run, or another file of the same run put in place of the
 * recorded one is refused by `predict`, `export --model` and `train-more` with one line and exit 2,
 * and nothing is changed.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { createCore, type Core } from '@main/core/core'
import { openRunStore } from '@main/core/store'
import { WASM_BACKEND, epochRecord, sampleMetrics, samplePredictions } from '../unit/main/core/store/fixtures/sample-run'
import { modelFileBytes, recordRunFiles } from '../helpers/model-files'
import { realDataDir } from '../helpers/real-data'
import { runCli } from '../helpers/run-cli'

const real = realDataDir()

describe.skipIf(!real.dir)(`refused model files in the CLI${real.reason}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-cli-files-'))
  const db = join(dir, 'atelier.db')
  const png = join(dir, 'shoe.png')
  let runDir: (id: number) => string
  let originals: Map<string, Buffer>
  const cli = (...args: string[]) => runCli([...args, '--db', db, '--data', real.dir!])

  beforeAll(async () => {
    const core: Core = await createCore({
      dataDir: real.dir!,
      dbPath: db,
      appVersion: 'test',
      settingsPath: null,
      cores: 1,
      spawnTrainer: () => {
        throw new Error('no trainer in this setup')
      },
      dialogs: { saveFile: async () => null, openFolder: async () => null }
    })
    for (const seed of [5, 6]) {
      const { store } = core
      const id = (
        await store.runs.insert({
          name: `run seed ${seed}`,
          hparams: { ...defaultHparams('dense'), epochs: 2, seed },
          appVersion: 'test'
        })
      ).id
      await store.runs.markRunning(id, { backendInfo: WASM_BACKEND, datasetChecksum: null, startedAt: new Date().toISOString() })
      for (const e of [1, 2]) await store.epochs.append(id, epochRecord(e))
      await recordRunFiles(core, id, await modelFileBytes({ runId: id, storeId: core.models.storeId }, seed))
      await store.results.save(id, sampleMetrics(), samplePredictions(10))
      await store.runs.finish(id, { status: 'completed', finishedAt: new Date().toISOString() })
    }
    const modelsDir = core.models.modelsDir
    runDir = (id) => join(modelsDir, `run-${id}`)
    await core.shutdown({ cancelRunning: false })
    originals = new Map(['model-0002.atm', 'checkpoint-0002.atm'].map((f) => [f, readFileSync(join(runDir(1), f))]))
    await sharp(Buffer.alloc(784, 128), { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(png)
  }, 120_000)
  afterEach(() => originals.forEach((bytes, f) => writeFileSync(join(runDir(1), f), bytes)))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** Replaces `from` by `to` in a stored file of run 1, as a text editor would. */
  const edit = (file: string, from: string, to: string) => {
    const text = originals.get(file)!.toString('latin1')
    expect(text).toContain(from)
    writeFileSync(join(runDir(1), file), Buffer.from(text.replace(from, to), 'latin1'))
  }

  /** predict, export and (for checkpoints) train-more refuse with exit 2 and the given message; nothing changes. */
  async function refusedEverywhere(message: RegExp, which: 'model' | 'checkpoint') {
    if (which === 'model') {
      const predicted = await cli('predict', '1', png)
      expect(predicted).toMatchObject({ code: 2, stdout: '' })
      expect(predicted.stderr).toMatch(message)
      const out = join(dir, 'export')
      const exported = await cli('export', '1', '--model', out, '--format', 'tfjs')
      expect(exported.code).toBe(2)
      expect(exported.stderr).toMatch(message)
      expect(existsSync(out)).toBe(false)
    } else {
      const more = await cli('train-more', '1', '--epochs', '1')
      expect(more.code).toBe(2)
      expect(more.stderr).toMatch(message)
      const store = await openRunStore(db)
      expect(await store.runs.get(1)).toMatchObject({ status: 'completed', epochsDone: 2, resumePoints: [] })
      await store.close()
    }
  }

  it('the model works as stored', async () => {
    const predicted = await cli('predict', '1', png)
    expect(predicted.code).toBe(0)
  })

  it('an edited activation in the model refuses predict and export', async () => {
    edit('model-0002.atm', '"activation":"relu"', '"activation":"tanh"')
    await refusedEverywhere(
      /^atelier: The trained model of run 1 \(.*model-0002\.atm\) is damaged: its contents \(layout, training state or weights\) do not match the checksum written with it\. The run and its history were left unchanged/,
      'model'
    )
  })

  it('an edited learning rate in the checkpoint refuses train-more', async () => {
    edit('checkpoint-0002.atm', '"learningRate":0.001', '"learningRate":0.009')
    await refusedEverywhere(
      /^atelier: The checkpoint of run 1 \(.*checkpoint-0002\.atm\) is damaged: its contents .* do not match the checksum/,
      'checkpoint'
    )
  })

  it("run 2's valid model or checkpoint copied over run 1's is refused", async () => {
    copyFileSync(join(runDir(2), 'model-0002.atm'), join(runDir(1), 'model-0002.atm'))
    await refusedEverywhere(
      /^atelier: The trained model of run 1 \(.*\) belongs to run 2, not run 1: it was copied or moved here from another run\./,
      'model'
    )
    copyFileSync(join(runDir(2), 'checkpoint-0002.atm'), join(runDir(1), 'checkpoint-0002.atm'))
    await refusedEverywhere(/^atelier: The checkpoint of run 1 \(.*\) belongs to run 2, not run 1/, 'checkpoint')
  })

  it('another valid model of run 1 in place of the recorded one is refused by its recorded SHA-256', async () => {
    const store = await openRunStore(db)
    const storeId = await store.modelFiles.storeId()
    await store.close()
    writeFileSync(join(runDir(1), 'model-0002.atm'), (await modelFileBytes({ runId: 1, storeId }, 9)).model)
    await refusedEverywhere(
      /^atelier: The trained model of run 1 \(.*\) is not the file this run recorded: its SHA-256 differs from the one in the database/,
      'model'
    )
  })
})
