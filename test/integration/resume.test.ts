/**
 * Acceptance: a run whose trainer is killed (SIGKILL) after epoch 2 of 4 resumes from its checkpoint
 * and ends exactly where the same run trained without interruption ends.
 *
 * Why exact equality is the right assertion, not a tolerance: a checkpoint carries everything the
 * next epoch depends on (weights, Adam's moments, step count and β powers as stored float32 values,
 * the learning rate and plateau/early-stopping counters, the shuffling generator's state and the
 * current training order), and the resumed trainer rebuilds the same model from the same seed before
 * loading it. Dropout's masks come from the layer's fixed seed, not from hidden global state. The
 * WASM backend with 2 threads computes the same float32 results for the same inputs on this machine,
 * so epochs 3–4, the final weights and all 10,000 test predictions must be bit-identical; any
 * difference means some state was not carried over. Only the timings (durationMs) differ.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeHparams, type Hparams } from '@shared/hparams'
import type { EpochRecord } from '@shared/run'
import { createCore, forkTrainer, type Core, type TrainerHost } from '@main/core/core'
import { isWindows, NO_SIGNALS, windowsSkip } from '../helpers/platform'
import { realDataDir } from '../helpers/real-data'

const { dir: dataDir, reason } = realDataDir()

const hparams = (): Hparams => {
  const r = completeHparams({ preset: 'cnn-shallow', epochs: 4, trainSubset: 5000 })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

/** An epoch without its wall-clock duration, the one field that legitimately differs. */
const figures = ({ durationMs: _d, ...rest }: EpochRecord) => rest

describe.skipIf(!dataDir)(`resume after SIGKILL on the real dataset${reason}`, () => {
  let dir: string
  let core: Core
  let spawned: TrainerHost[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atelier-resume-'))
    core = await createCore({
      dataDir: dataDir as string,
      dbPath: join(dir, 'atelier.db'),
      appVersion: 'test',
      dataDirLocked: true,
      settingsPath: null,
      spawnTrainer: () => {
        const host = forkTrainer()
        spawned.push(host)
        return host
      },
      dialogs: { saveFile: async () => null, openFolder: async () => null }
    })
  })
  afterAll(async () => {
    await core?.shutdown({ cancelRunning: true })
    rmSync(dir, { recursive: true, force: true })
  })

  const finished = async (runId: number) => (await core.runs.queue.outcome(runId))?.status ?? (await core.runs.get(runId)).status

  it.skipIf(isWindows)(
    `killed after epoch 2 of 4, resumed, finished: the same 4 epochs, weights and predictions as without interruption${windowsSkip(NO_SIGNALS)}`,
    async () => {
      // Reference: trained straight through.
      const straight = await core.runs.start(hparams(), 'straight')
      expect(await finished(straight.id)).toBe('completed')

      // The same run, killed as soon as epoch 2 (and its checkpoint) is recorded.
      spawned = []
      const killed = await core.runs.start(hparams(), 'killed and resumed')
      await new Promise<void>((resolve) => {
        const off = core.on('runs.epoch', (e) => {
          if (e.runId === killed.id && e.record.epoch === 2) {
            off()
            const host = spawned.at(-1) as TrainerHost
            process.kill(host.pid as number, 'SIGKILL')
            resolve()
          }
        })
      })
      expect(await finished(killed.id)).toBe('failed')
      const afterKill = await core.runs.get(killed.id)
      expect(afterKill.errorMessage).toMatch(/killed by SIGKILL .*2 completed epochs were kept\. Resume it to continue after epoch 2\./)
      expect(afterKill.history.map((e) => e.epoch)).toEqual([1, 2])
      expect(await core.models.modelInfo(killed.id)).toMatchObject({ checkpointEpoch: 2, modelEpoch: null })

      await core.runs.resume(killed.id)
      expect(await finished(killed.id)).toBe('completed')

      const a = await core.runs.get(straight.id)
      const b = await core.runs.get(killed.id)
      expect(b.history.map((e) => e.epoch)).toEqual([1, 2, 3, 4])
      expect(b.resumePoints).toMatchObject([{ kind: 'resumed', afterEpoch: 2 }])
      expect(b.epochsPlanned).toBe(4)
      // Epochs 1–2 ran the identical computation before the kill; epochs 3–4 continue from the
      // checkpoint with every piece of training state restored: all bit-identical.
      expect(b.history.map(figures)).toEqual(a.history.map(figures))
      expect(b.metrics?.testAccuracy).toBe(a.metrics?.testAccuracy)
      expect(b.metrics?.testLoss).toBe(a.metrics?.testLoss)
      expect(b.metrics?.confusion).toEqual(a.metrics?.confusion)

      const weightsA = new Uint8Array((await core.models.loadModelArtifacts(straight.id)).weightData as ArrayBuffer)
      const weightsB = new Uint8Array((await core.models.loadModelArtifacts(killed.id)).weightData as ArrayBuffer)
      expect(weightsB.byteLength).toBe(weightsA.byteLength)
      expect(Buffer.compare(Buffer.from(weightsA), Buffer.from(weightsB))).toBe(0)

      const pa = await core.runs.predictions(straight.id)
      const pb = await core.runs.predictions(killed.id)
      expect(Buffer.compare(Buffer.from(pa!.probabilities.buffer), Buffer.from(pb!.probabilities.buffer))).toBe(0)
      expect(await core.models.modelInfo(killed.id)).toMatchObject({ modelEpoch: 4, checkpointEpoch: 4 })
      console.log(
        `cnn-shallow 4 epochs / 5,000 images: straight test accuracy ${a.metrics?.testAccuracy}, ` +
          `killed after epoch 2 and resumed ${b.metrics?.testAccuracy}; model ${(await core.models.modelInfo(killed.id)).modelBytes} B, ` +
          `checkpoint ${(await core.models.modelInfo(killed.id)).checkpointBytes} B`
      )
    }
  )

  it.skipIf(isWindows)(
    `with augmentation (shift, flip, erase), killed after epoch 1 of 3 and resumed: bit-identical to the straight run${windowsSkip(NO_SIGNALS)}`,
    async () => {
      const r = completeHparams({
        preset: 'dense',
        epochs: 3,
        trainSubset: 3000,
        recipe: { augment: { shift: 2, flip: true, erase: 0.5 } }
      } as Parameters<typeof completeHparams>[0])
      if (!r.ok) throw new Error(JSON.stringify(r.errors))
      const augmented = r.value
      const straight = await core.runs.start(augmented, 'augmented straight')
      expect(await finished(straight.id)).toBe('completed')
      spawned = []
      const killed = await core.runs.start(augmented, 'augmented, killed and resumed')
      await new Promise<void>((resolve) => {
        const off = core.on('runs.epoch', (e) => {
          if (e.runId === killed.id && e.record.epoch === 1) {
            off()
            process.kill(spawned.at(-1)!.pid as number, 'SIGKILL')
            resolve()
          }
        })
      })
      expect(await finished(killed.id)).toBe('failed')
      await core.runs.resume(killed.id)
      expect(await finished(killed.id)).toBe('completed')
      const [a, b] = [await core.runs.get(straight.id), await core.runs.get(killed.id)]
      expect(b.resumePoints).toMatchObject([{ kind: 'resumed', afterEpoch: 1 }])
      // The augmentation of epochs 2–3 is drawn from (seed, epoch, batch), not from state the kill lost.
      expect(b.history.map(figures)).toEqual(a.history.map(figures))
      expect(b.metrics?.testAccuracy).toBe(a.metrics?.testAccuracy)
      expect(b.metrics?.testLoss).toBe(a.metrics?.testLoss)
    }
  )
})
