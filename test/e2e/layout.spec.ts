/**
 * The workbench in a narrow (900 px) and a wide (1400 px) window, on a seeded database (finished
 * runs, a group of seeds and a sweep; nothing trains): two-column cards stack, card titles never
 * wrap a character per line or run into their controls, the experiments table keeps Name and the
 * actions in view with a visible scrollbar, and sweep runs can be told apart.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRunStore } from '@main/core/store'
import { launchWorkbench, type Workbench } from './harness'
import { SCREENSHOT_DIR, screenshotBothThemes } from './helpers'
import { seedGroups, seedRuns } from './fixtures/seed-runs'

let wb: Workbench
let runIds: number[]
let sweepId: number

/** Puts two seeded runs into one sweep whose runs differ in learning rate and batch size. */
async function seedSweep(dbPath: string, ids: readonly number[]): Promise<number> {
  const store = await openRunStore(dbPath)
  try {
    const spec = {
      preset: 'dense' as const,
      dataset: 'fashion-mnist',
      mode: 'grid' as const,
      learningRate: { min: 0.0003, max: 0.003, count: 2 },
      batchSizes: [32, 64],
      epochs: [3],
      validationSplits: [0.1],
      seeds: { base: 42, count: 1 },
      trainSubset: 10000
    }
    const id = await store.sweeps.insert({ name: 'lr × batch sweep', spec })
    await store.sweeps.assign(id, ids)
    return id
  } finally {
    await store.close()
  }
}

beforeAll(async () => {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'atelier-layout-')), 'atelier.db')
  runIds = await seedRuns({ dbPath, count: 6, epochs: 5, withResults: 6 })
  await seedGroups({ dbPath, groups: 1, size: 3, epochs: 5 })
  sweepId = await seedSweep(dbPath, runIds.slice(0, 4))
  wb = await launchWorkbench({ dbPath, viewport: { width: 900, height: 900 } })
}, 120_000)

afterAll(async () => {
  await wb?.close()
})

/** Navigates inside the app (a hash route), as a link would. */
const go = (hash: string) => wb.page.evaluate((h) => ((globalThis as unknown as { location: { hash: string } }).location.hash = h), hash)

type Box = { x: number; y: number; width: number; height: number }
const box = async (selector: string): Promise<Box> => {
  const b = await wb.page.locator(selector).first().boundingBox()
  if (!b) throw new Error(`${selector} is not on screen`)
  return b
}

describe('Layout in a 900 px window', () => {
  it('keeps Name and the row actions in view in Experiments, with a scrollbar that shows', async () => {
    const { page } = wb
    await page.getByTestId('experiments-view').waitFor()
    await page.locator('[data-testid="run-row"]').first().waitFor()
    const open = await box('[data-testid="run-row"] [data-testid="row-open"]')
    expect(open.x + open.width).toBeLessThanOrEqual(900)
    expect(open.x).toBeGreaterThan(450)
    const name = await box('[data-testid="run-row"] [data-testid="run-name"]')
    expect(name.x).toBeLessThan(200)
    // Naive UI hides its scrollbars until hovered unless told otherwise.
    const rail = page.locator('[data-testid="runs-table"] .n-scrollbar-rail--horizontal .n-scrollbar-rail__scrollbar').first()
    await expect
      .poll(() =>
        rail.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(el).opacity)
      )
      .toBe('1')
    await screenshotBothThemes(page, 'layout-900-experiments')
  })

  it('stacks the run view’s two-column cards, titles on one line clear of their controls', async () => {
    const { page } = wb
    await go(`#/runs/${runIds[0]}`)
    await page.getByTestId('run-test-results').waitFor()
    await page.locator('[data-testid="confusion-matrix"] canvas').first().waitFor()
    const loss = await box('[data-testid="chart-loss"]')
    const accuracy = await box('[data-testid="chart-accuracy"]')
    expect(accuracy.y).toBeGreaterThanOrEqual(loss.y + loss.height)
    const title = await box('[data-testid="confusion-matrix"] .n-card-header__main')
    // One line of text, not a column of single characters.
    expect(title.height).toBeLessThan(30)
    expect(title.width).toBeGreaterThan(150)
    const accTitle = await box('[data-testid="chart-accuracy"] .n-card-header__main')
    const smoothing = await box('[data-testid="chart-accuracy"] [data-testid="chart-smoothing"]')
    const sameLine = Math.abs(smoothing.y - accTitle.y) < accTitle.height
    // "Accuracy" and "Smoothing" never touch: either a gap on one line, or on lines of their own.
    if (sameLine) expect(smoothing.x).toBeGreaterThanOrEqual(accTitle.x + accTitle.width + 8)
    await screenshotBothThemes(page, 'layout-900-run')
  })

  it('shows every column of the confusion table', async () => {
    const { page } = wb
    await page.getByTestId('confusion-table-toggle').click()
    const table = page.getByTestId('confusion-table')
    await table.waitFor()
    const scroll = await table.evaluate((el) => {
      const parent = el.parentElement!
      return { scrollWidth: parent.scrollWidth, clientWidth: parent.clientWidth }
    })
    expect(scroll.scrollWidth).toBeLessThanOrEqual(scroll.clientWidth)
    await page.getByTestId('confusion-counts').click()
  })

  it('tells sweep runs apart: a Sweep column and filter, and chosen hyperparameter columns', async () => {
    const { page } = wb
    await go('#/experiments')
    await page.getByTestId('runs-filter-sweep').click()
    await page.locator('.n-base-select-option', { hasText: 'lr × batch sweep' }).click()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('[data-testid="run-row"]').count()).toBe(4)
    await expect.poll(() => page.locator('[data-testid="run-sweep"]').first().textContent()).toBe('lr × batch sweep')
    await page.getByTestId('runs-columns').click()
    await page.locator('.n-base-select-option', { hasText: 'learningRate' }).click()
    // Close the chooser by clicking outside it.
    await page.getByTestId('runs-count').click()
    const header = page.locator('[data-testid="runs-table"] th', { hasText: 'Learning rate' })
    await header.waitFor()
    await screenshotBothThemes(page, 'layout-900-experiments-sweep')
    // The header sorts from the keyboard.
    await page.getByTestId('sort-hp.learningRate').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => header.locator('.n-data-table-sorter--asc, .n-data-table-sorter--desc').count()).toBe(1)
    // ↓ and j move between rows, keeping to the same control.
    await page.locator('[data-testid="run-row"] [data-testid="run-name"]').first().focus()
    await page.keyboard.press('j')
    await page.keyboard.press('ArrowDown')
    const focused = await page.evaluate(() =>
      (
        globalThis as unknown as {
          document: { activeElement: { closest(s: string): { getAttribute(n: string): string | null } | null } | null }
        }
      ).document.activeElement
        ?.closest('tr')
        ?.getAttribute('data-run-id')
    )
    const third = await page.locator('[data-testid="run-row"]').nth(2).getAttribute('data-run-id')
    expect(focused).toBe(third)
    void sweepId
  })
})

describe('Layout in a 1400 px window', () => {
  it('shows a group row’s Compare button whole', async () => {
    const { page } = wb
    await page.setViewportSize({ width: 1400, height: 900 })
    await page.getByTestId('runs-filter-clear').click()
    const button = page.locator('[data-testid="group-row"] [data-testid="group-open"]').first()
    await button.waitFor()
    const b = (await button.boundingBox())!
    const cell = (await button.locator('xpath=ancestor::td[1]').boundingBox())!
    expect(b.x + b.width).toBeLessThanOrEqual(cell.x + cell.width)
    await screenshotBothThemes(page, 'layout-1400-experiments')
    await go(`#/runs/${runIds[0]}`)
    await page.locator('[data-testid="confusion-matrix"] canvas').first().waitFor()
    await screenshotBothThemes(page, 'layout-1400-run')
    // Beside the per-class card, the confusion table still shows its last column without scrolling.
    await page.getByTestId('confusion-table-toggle').click()
    const scroll = await page
      .getByTestId('confusion-table')
      .evaluate((el) => ({ scrollWidth: el.parentElement!.scrollWidth, clientWidth: el.parentElement!.clientWidth }))
    expect(scroll.scrollWidth).toBeLessThanOrEqual(scroll.clientWidth)
    await page.getByTestId('confusion-table').screenshot({ path: join(SCREENSHOT_DIR, 'layout-1400-confusion-table.png') })
    await page.getByTestId('confusion-counts').click()
    await go(`#/sweeps/${sweepId}`)
    await page.locator('[data-testid="sweep-chart-parallel"] canvas').first().waitFor()
    // A learning rate reads as a person would write it, not as 0.0005234095063060522.
    expect(await page.getByTestId('sweep-best-config').textContent()).not.toMatch(/\d{9,}/)
    await screenshotBothThemes(page, 'layout-1400-sweep')
    await page.setViewportSize({ width: 900, height: 900 })
    await page.waitForTimeout(300)
    await screenshotBothThemes(page, 'layout-900-sweep')
  })
})
