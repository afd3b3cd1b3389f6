/** The trainer as electron-vite bundles it for the app (out/main/trainer.js) trains a run under plain Node. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeHparams } from '@shared/hparams'
import type { TrainerEvent } from '@shared/trainer-protocol'
import { forkTrainer } from '@main/core/core'
import { fashionLocation, realDataDir } from '../helpers/real-data'

const root = resolve(import.meta.dirname, '../..')
const built = resolve(root, 'out/main/trainer.js')
const { dir: dataDir, reason } = realDataDir()

describe.skipIf(!dataDir)(`built trainer entry${reason}`, () => {
  beforeAll(() => {
    // Build main, preload and renderer exactly as `npm run build` does after its typecheck.
    execFileSync(process.execPath, [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: root,
      stdio: 'pipe'
    })
  }, 300_000)
  afterAll(() => undefined)

  it('loads its backend and dataset and completes a short run', async () => {
    expect(existsSync(built)).toBe(true)
    const host = forkTrainer({ entry: built })
    const events: TrainerEvent[] = []
    const hparams = completeHparams({ preset: 'cnn-shallow', epochs: 1, trainSubset: 500 })
    if (!hparams.ok) throw new Error('bad hparams')
    const exit = new Promise<number | null>((done) => host.onExit((e) => done(e.code)))
    host.onMessage((e) => events.push(e))
    const modelDir = mkdtempSync(join(tmpdir(), 'atelier-built-'))
    host.send({
      type: 'start',
      runId: 7,
      hparams: hparams.value,
      dataset: fashionLocation(dataDir as string),
      backend: 'auto',
      modelDir,
      storeId: 'test-store',
      resume: null
    })
    expect(await exit).toBe(0)
    // Phase messages say what the trainer is doing (loading the dataset before it is ready); among the rest, `ready` comes first.
    const phases = events.flatMap((e) => (e.type === 'phase' ? [e.phase] : []))
    expect(phases).toEqual(expect.arrayContaining(['loading-data', 'training', 'evaluating']))
    const types = events.map((e) => e.type).filter((t) => t !== 'phase')
    expect(types[0]).toBe('ready')
    expect(types).toContain('epoch')
    const done = events.at(-1)
    expect(done).toMatchObject({ type: 'done', runId: 7, status: 'completed' })
    if (done?.type === 'done') expect(done.predictions?.predicted).toHaveLength(10_000)
    // The bundled trainer writes its checkpoint and final model too.
    expect(readdirSync(modelDir).sort()).toEqual(['checkpoint-0001.atm', 'model-0001.atm'])
    rmSync(modelDir, { recursive: true, force: true })
  })
})
