/** Real trainer processes on the real dataset, recorded in a real SQLite database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeHparams, type Hparams } from '@shared/hparams'
import { isWindows, NO_SIGNALS, windowsSkip } from '../helpers/platform'
import { realDataDir } from '../helpers/real-data'
import { createTempCore, type TempCore } from '../helpers/temp-core'

const { dir: dataDir, reason } = realDataDir()

function hparams(partial: Partial<Hparams> & { preset: Hparams['preset'] }): Hparams {
  const r = completeHparams(partial)
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

describe.skipIf(!dataDir)(`training on the real dataset${reason}`, () => {
  let t: TempCore
  beforeAll(async () => {
    t = await createTempCore(dataDir as string)
  })
  afterAll(() => t?.close())

  it('dense, 2 epochs on 10,000 images, reaches ≥ 0.78 on the full official test set and records everything', async () => {
    const progress: number[] = []
    const off = t.core.on('runs.progress', (p) => progress.push(p.batch))
    const run = await t.core.runs.start(hparams({ preset: 'dense', epochs: 2, trainSubset: 10_000 }))
    expect(await t.finished(run.id)).toBe('completed')
    off()
    const detail = await t.core.runs.get(run.id)
    expect(detail.history).toHaveLength(2)
    expect(detail.history[1].valAccuracy).toBeGreaterThan(0.7)
    expect(detail.metrics?.testAccuracy).toBeGreaterThanOrEqual(0.78)
    expect(detail.backendInfo?.name).toBe('wasm')
    expect(detail.datasetChecksum).toMatch(/^[0-9a-f]{64}$/)
    expect(detail.metrics?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(10_000)
    expect(detail.metrics?.perClass.map((c) => c.support)).toEqual(new Array(10).fill(1000))
    const predictions = await t.core.runs.predictions(run.id)
    expect(predictions?.predicted).toHaveLength(10_000)
    expect(predictions?.probabilities).toHaveLength(100_000)
    expect(progress.length).toBeGreaterThan(2)
    console.log(`dense 2 epochs / 10,000 images: test accuracy ${detail.metrics?.testAccuracy}`)
  })

  it('a CNN learns on a small subset on the WASM backend', async () => {
    const run = await t.core.runs.start(hparams({ preset: 'cnn-shallow', epochs: 1, trainSubset: 3000 }))
    expect(await t.finished(run.id)).toBe('completed')
    const detail = await t.core.runs.get(run.id)
    expect(detail.backend).toBe('wasm')
    // Chance is 0.10; one epoch on 2,700 images gets well past it.
    expect(detail.metrics?.testAccuracy).toBeGreaterThan(0.6)
    console.log(`cnn-shallow 1 epoch / 3,000 images: test accuracy ${detail.metrics?.testAccuracy}`)
  })

  it('cancel stops within a second at the next batch and keeps the completed epochs', async () => {
    const run = await t.core.runs.start(hparams({ preset: 'dense', epochs: 50, trainSubset: 20_000 }))
    await new Promise<void>((resolve) => {
      const off = t.core.on('runs.epoch', (e) => {
        if (e.runId === run.id) {
          off()
          resolve()
        }
      })
    })
    const asked = performance.now()
    await t.core.runs.cancel(run.id)
    expect(await t.finished(run.id)).toBe('cancelled')
    // Hundreds of ms here; a hung trainer fails the test by its timeout, not by a limit a busy machine could break.
    console.log(`cancel took ${(performance.now() - asked).toFixed(0)} ms`)
    const detail = await t.core.runs.get(run.id)
    expect(detail.status).toBe('cancelled')
    expect(detail.history.length).toBeGreaterThanOrEqual(1)
    // Stopped, not trained to the end.
    expect(detail.history.length).toBeLessThan(50)
    expect(detail.metrics).toBeNull()
  })

  it.skipIf(isWindows)(
    `killing the trainer mid-run leaves the run failed with its completed epochs${windowsSkip(NO_SIGNALS)}`,
    async () => {
      const run = await t.core.runs.start(hparams({ preset: 'dense', epochs: 50, trainSubset: 20_000 }))
      await new Promise<void>((resolve) => {
        const off = t.core.on('runs.epoch', (e) => {
          if (e.runId === run.id && e.record.epoch === 2) {
            off()
            resolve()
          }
        })
      })
      const pid = (t.core.runs.queue.session(run.id) as unknown as { host: { pid: number } }).host.pid
      process.kill(pid, 'SIGKILL')
      expect(await t.finished(run.id)).toBe('failed')
      const detail = await t.core.runs.get(run.id)
      expect(detail.history.length).toBeGreaterThanOrEqual(2)
      expect(detail.errorMessage).toMatch(/killed by SIGKILL/)
      expect(detail.errorMessage).toMatch(/completed epochs were kept/)
    }
  )
})
