/**
 * The packaged smoke check's CDP path with a real Chromium standing in for the packaged Electron app
 * (which cannot run here): started with `--remote-debugging-port=0`, its endpoint read, connected with
 * playwright-core's `connectOverCDP`, the page found by URL, and the renderer-side check run in it
 * against a stand-in `window.atelier`. Electron's renderer speaks the same protocol.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startWithDevtools, smokeOverCdp, type Started } from '../../../scripts/packaged-app'
import { smokeInput } from '../../../scripts/packaged-smoke'
import { judgeSmoke } from '../../../scripts/smoke-check'

const CHROMIUM = process.env['ATELIER_CHROMIUM'] ?? '/usr/bin/chromium'
const missing = existsSync(CHROMIUM) ? '' : ` — SKIPPED: no Chromium at ${CHROMIUM} (set ATELIER_CHROMIUM)`

/** A page whose `window.atelier` trains "instantly" and predicts class 2. */
const PAGE = `data:text/html,${encodeURIComponent(`<title>stand-in</title><script>
  let reads = 0
  const run = (status, epochsDone) => ({ id: 1, status, epochsDone, backend: 'wasm', testAccuracy: 0.74, errorMessage: null })
  window.atelier = { invoke: async (channel, request) => {
    if (channel === 'runs.start') return { ok: true, data: run('queued', 0) }
    if (channel === 'runs.get') return { ok: true, data: ++reads > 1 ? run('completed', request && 1) : run('running', 0) }
    if (channel === 'dataset.testSet') return { ok: true, data: { count: 1, images: new Uint8Array(784), labels: new Uint8Array([2]) } }
    if (channel === 'models.predict') return { ok: true, data: new Float32Array([0.05, 0.05, 0.8, 0.1, 0, 0, 0, 0, 0, 0]) }
    return { ok: false, error: { message: 'unknown channel ' + channel } }
  } }
</script>`)}`

describe.skipIf(missing)(`the smoke check over CDP${missing}`, () => {
  const temp = mkdtempSync(join(tmpdir(), 'atelier-cdp-'))
  let browser: Started | undefined

  afterAll(async () => {
    await browser?.stop()
    rmSync(temp, { recursive: true, force: true })
  })

  it('starts a Chromium with --remote-debugging-port=0, connects, finds the page and trains and predicts in it', async () => {
    browser = await startWithDevtools({
      executable: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--no-first-run', `--user-data-dir=${join(temp, 'profile')}`, PAGE],
      userDataDir: join(temp, 'profile')
    })
    expect(browser.endpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/devtools\/browser\//)
    const result = await smokeOverCdp(browser.endpoint, { pageUrl: /^data:text\/html/, input: { ...smokeInput(), pollMs: 10 } })
    expect(result).toMatchObject({ runId: 1, status: 'completed', epochsDone: 1, label: 2, predicted: 2 })
    expect(judgeSmoke(result, { epochs: 1, minTestAccuracy: 0.5 })).toEqual([])
  })

  it('names the page it waited for and the pages it saw', async () => {
    await expect(
      smokeOverCdp(browser!.endpoint, { pageUrl: /^app:\/\/atelier\//, input: smokeInput(), pageTimeoutMs: 500 })
    ).rejects.toThrow(/no page at \/\^app:\\\/\\\/atelier\\\/\/ within 0\.5 s \(pages: data:text\/html/)
  })
})

describe('startWithDevtools', () => {
  it('reports an executable that exits before listening, with what it printed', async () => {
    // Node rejects the Chromium switch and exits: the same shape as an app that dies at launch.
    await expect(startWithDevtools({ executable: process.execPath, timeoutMs: 20_000 })).rejects.toThrow(
      /exited \(code \d+\) before its DevTools endpoint was known\n--- its output ---\n.*remote-debugging-port/s
    )
  })
})
