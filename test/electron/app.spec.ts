/**
 * The desktop app itself, wherever Electron exists: the same key flows as the Chromium specs, through
 * the real preload, IPC, app:// scheme, utility-process trainers and native-dialog code paths.
 * Where the binary is absent the project's set-up prints why, and these tests report as skipped.
 */
import { existsSync, readFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { RunSummary } from '@shared/run'
import { decodePngSize, parseSvgInPage } from '../e2e/helpers'
import { electronExecutable } from './electron-binary'
import { invokeInApp, launchDesktopApp, type DesktopApp } from './electron-app'

const missing = 'skipped' in electronExecutable()

const quick = (name: string, over: Record<string, unknown> = {}) => ({
  hparams: { ...defaultHparams('dense'), epochs: 2, trainSubset: 2000, ...over },
  name
})

/** Waits (polling through the app's own API) until a run reaches `status`. */
async function waitForStatus(desk: DesktopApp, id: number, status: string, timeoutMs = 300_000): Promise<RunSummary> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const run = await invokeInApp<RunSummary>(desk.page, 'runs.get', { id })
    if (run.status === status) return run
    if (Date.now() > deadline || (['failed', 'cancelled', 'interrupted'].includes(run.status) && status !== run.status)) {
      throw new Error(`run ${id} did not reach ${status}: ${JSON.stringify(run)}`)
    }
    await new Promise((r) => setTimeout(r, 500))
  }
}

describe.skipIf(missing)('the desktop app', () => {
  let desk: DesktopApp
  let first: number

  beforeAll(async () => {
    desk = await launchDesktopApp()
    await desk.page.getByTestId('experiments-view').waitFor({ timeout: 60_000 })
  })

  afterAll(async () => {
    await desk?.close()
  })

  it('loads from app://atelier/ and starts a small dense run from New run, which trains and finishes', async () => {
    const { page } = desk
    expect(page.url()).toMatch(/^app:\/\/atelier\//)
    await page.getByTestId('nav-new').click()
    await page.getByTestId('new-run-view').waitFor()
    await page.getByTestId('preset-dense').click()
    const epochs = page.getByTestId('hp-epochs').locator('input')
    await epochs.fill('2')
    await epochs.blur()
    await page.getByTestId('hp-trainSubset-enabled').click()
    const subset = page.getByTestId('hp-trainSubset').locator('input')
    await subset.fill('2000')
    await subset.blur()
    await page.getByTestId('run-name-input').locator('input').fill('desktop dense')
    await page.getByTestId('start-run').click()
    await page.waitForURL(/#\/runs\/\d+$/)
    first = Number(/#\/runs\/(\d+)$/.exec(page.url())?.[1])
    await page.getByTestId('run-progress-panel').waitFor({ timeout: 120_000 })
    const run = await waitForStatus(desk, first, 'completed')
    expect(run.epochsDone).toBe(2)
    // Trained in a utility process on WASM with threads, as recorded by the run.
    expect(run.backend).toMatch(/wasm|tensorflow/)
    await page.getByTestId('run-test-results').waitFor({ timeout: 60_000 })
  })

  it('opens exactly the images of a confusion cell', async () => {
    const { page } = desk
    // The expected images, computed in the page from the test set and predictions the app's IPC returns.
    const cell = await page.evaluate(async (id) => {
      const api = (globalThis as unknown as { atelier: { invoke(c: string, r: unknown): Promise<{ ok: boolean; data: never }> } }).atelier
      const testSet = (await api.invoke('dataset.testSet', {})).data as { labels: Uint8Array }
      const predictions = (await api.invoke('runs.predictions', { id })).data as { predicted: Uint8Array }
      const counts = new Map<string, number[]>()
      testSet.labels.forEach((label, i) => {
        const p = predictions.predicted[i]!
        if (p !== label) counts.set(`${label}-${p}`, [...(counts.get(`${label}-${p}`) ?? []), i])
      })
      const [key, indices] = [...counts.entries()].filter(([, v]) => v.length <= 30).sort((a, b) => b[1].length - a[1].length)[0]!
      return { key, indices }
    }, first)
    await page.locator('[data-testid="confusion-matrix"] [data-testid="confusion-table-toggle"]').click()
    await page.getByTestId(`confusion-cell-${cell.key}`).click()
    const gallery = page.getByTestId('cell-gallery')
    await gallery.getByTestId('gallery-item').first().waitFor()
    const shown = await gallery.getByTestId('gallery-item').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))))
    expect(shown.sort((a, b) => a - b)).toEqual(cell.indices)
    await page.keyboard.press('Escape')
  })

  it('exports a chart to PNG and SVG through the save dialog', async () => {
    const { page } = desk
    const panel = page.getByTestId('chart-loss')
    await panel.getByTestId('chart-export-png').click()
    await expect.poll(async () => (await desk.saved()).length).toBe(1)
    await panel.getByTestId('chart-export-svg').click()
    await expect.poll(async () => (await desk.saved()).length).toBe(2)
    const [png, svg] = await desk.saved()
    await expect.poll(() => existsSync(svg!)).toBe(true)
    expect(decodePngSize(new Uint8Array(readFileSync(png!))).width).toBeGreaterThan(100)
    expect((await parseSvgInPage(page, readFileSync(svg!, 'utf8'))).children).toBeGreaterThan(20)
  })

  it('compares two runs (the view that sends the router’s reactive id list over IPC)', async () => {
    const { page } = desk
    const second = await invokeInApp<RunSummary>(page, 'runs.start', quick('desktop dense B', { learningRate: 0.003 }))
    await waitForStatus(desk, second.id, 'completed')
    await page.evaluate((hash) => {
      ;(globalThis as unknown as { location: { hash: string } }).location.hash = hash
    }, `#/compare/${first},${second.id}`)
    const view = page.getByTestId('compare-view')
    for (const metric of ['loss', 'val_accuracy', 'test-accuracy']) {
      await view.locator(`[data-testid="compare-chart-${metric}"] [data-testid="chart-canvas"] canvas`).first().waitFor()
    }
    await page.getByTestId('fixed-broken').waitFor()
    expect(await page.getByText('These runs could not be compared').count()).toBe(0)
  })

  it('asks before quitting with a run training, keeps training on "Keep training", then cancels cleanly on quit', async () => {
    const { page, app } = desk
    const long = await invokeInApp<RunSummary>(page, 'runs.start', quick('desktop long', { epochs: 50, trainSubset: 10000 }))
    const waiting = await invokeInApp<RunSummary>(page, 'runs.start', quick('desktop waiting'))
    await waitForStatus(desk, long.id, 'running')

    await desk.answerQuit(0)
    await app.evaluate(({ app: electronApp }) => electronApp.quit())
    await expect.poll(async () => (await desk.questions()).length).toBe(1)
    expect((await desk.questions())[0]).toBe('1 run is still training. Quit Atelier?')
    expect((await invokeInApp<RunSummary>(page, 'runs.get', { id: long.id })).status).toBe('running')

    await desk.answerQuit(1)
    const closed = new Promise<void>((resolve) => app.once('close', () => resolve()))
    await app.evaluate(({ app: electronApp }) => electronApp.quit())
    await closed
    const db = new Database(desk.dbPath, { readonly: true })
    const status = (id: number) => (db.prepare('SELECT status FROM runs WHERE id = ?').get(id) as { status: string }).status
    expect(status(long.id)).toBe('cancelled')
    // Queued runs are not "still training": they stay queued for the next start.
    expect(status(waiting.id)).toBe('queued')
    db.close()
  })
})
