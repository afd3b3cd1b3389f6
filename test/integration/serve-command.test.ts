/**
 * `cli serve` as a person runs it: the printed address works, training runs over it, and Ctrl-C
 * stops cleanly: the run training is recorded `cancelled` with its finished epochs, a queued run
 * stays queued for the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ApiResult } from '@shared/api'
import { defaultHparams } from '@shared/hparams'
import type { RunSummary } from '@shared/run'
import { decodeFrame } from '@shared/wire-frame'
import { openRunStore } from '@main/core/store'
import { isWindows, NO_SIGINT, windowsSkip } from '../helpers/platform'
import { startCli } from '../helpers/run-cli'
import { realDataDir } from '../helpers/real-data'

const real = realDataDir()
const dir = mkdtempSync(join(tmpdir(), 'atelier-serve-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(!real.dir)(`npm run serve${real.reason}`, () => {
  it.skipIf(isWindows)(
    `prints its address, serves the API with the cookie, and on Ctrl-C cancels the training run and keeps the queued one${windowsSkip(NO_SIGINT)}`,
    async () => {
      const dbPath = join(dir, 'atelier.db')
      const cli = startCli(['serve', '--no-open', '--db', dbPath, '--data', real.dir!])
      let out = ''
      const url = await new Promise<string>((resolve, reject) => {
        cli.child.stdout?.on('data', (d: Buffer) => {
          out += d.toString()
          const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out)
          if (match) resolve(match[0])
        })
        void cli.result.then((r) => reject(new Error(`serve ended early (${r.code}): ${r.stdout}${r.stderr}`)))
      })
      expect(out).toContain('Ctrl-C stops the server: runs still training are cancelled')
      const origin = new URL(url).origin

      // The printed address exchanges its token for the cookie; the API then answers.
      const exchange = await fetch(url, { redirect: 'manual' })
      expect(exchange.status).toBe(200)
      const cookie = exchange.headers.getSetCookie()[0]!.split(';')[0]!
      const post = async <T>(channel: string, body: unknown): Promise<T> => {
        const response = await fetch(`${origin}/api/${channel}`, {
          method: 'POST',
          headers: { cookie, origin, 'content-type': 'application/json' },
          body: JSON.stringify(body)
        })
        const result = decodeFrame(new Uint8Array(await response.arrayBuffer())) as ApiResult<T>
        if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
        return result.data
      }
      const hparams = { ...defaultHparams('dense'), epochs: 50, trainSubset: 2000 }
      const training = await post<RunSummary>('runs.start', { hparams, name: 'serve long' })
      const queued = await post<RunSummary>('runs.start', { hparams, name: 'serve queued' })
      expect(queued.status).toBe('queued')
      await expect
        .poll(async () => (await post<RunSummary>('runs.get', { id: training.id })).epochsDone, { timeout: 120_000, interval: 250 })
        .toBeGreaterThan(0)

      cli.child.kill('SIGINT')
      const result = await cli.result
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/cancelling 1 training run/)

      const store = await openRunStore(dbPath)
      try {
        const stopped = (await store.runs.get(training.id))!
        expect(stopped.status).toBe('cancelled')
        expect(stopped.epochsDone).toBeGreaterThan(0)
        expect(stopped.epochsDone).toBeLessThan(50)
        expect((await store.epochs.list(training.id)).length).toBe(stopped.epochsDone)
        expect((await store.runs.get(queued.id))!.status).toBe('queued')
      } finally {
        await store.close()
      }
    }
  )
})
