/**
 * Compare diffs the architectures of two runs layer by layer (two presets here: presets are
 * architectures like any other), the unchanged layers folded and the changed parameters marked.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchWorkbench, type Workbench } from './harness'
import { seedRuns } from './fixtures/seed-runs'
import { SCREENSHOT_DIR, screenshotBothThemes } from './helpers'

let wb: Workbench
let dir: string
let ids: number[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-arch-diff-'))
  const dbPath = join(dir, 'atelier.db')
  // dense, cnn-shallow, cnn-deep, cnn-bn, dense: the presets in turn.
  ids = await seedRuns({ dbPath, count: 5, epochs: 3, withResults: 5 })
  wb = await launchWorkbench({ dbPath })
})

afterAll(async () => {
  await wb?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('Compare: architectures layer by layer', () => {
  it('diffs the Shallow and the Deep CNN: changed padding marked, added layers listed, unchanged folded', async () => {
    const { page, baseUrl } = wb
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(`${baseUrl}#/compare/${ids[1]},${ids[2]}`)
    const card = page.getByTestId('architecture-diff')
    await card.waitFor()
    expect(await card.getByTestId('architecture-diff-summary').textContent()).toMatch(/changed · 2 added in B · 1 removed from A/)
    const changed = card.getByTestId('architecture-diff-row-changed')
    expect(await changed.first().locator('.chip.changed').first().textContent()).toMatch(/padding (valid|same)/)
    expect(await card.getByTestId('architecture-diff-row-added').count()).toBe(2)
    expect(await card.getByTestId('architecture-diff-row-removed').locator('td').first().textContent()).toContain('dropout')
    await card.scrollIntoViewIfNeeded()
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'compare-architecture-diff-card.png') })
    await screenshotBothThemes(page, 'compare-architecture-diff')

    // In a narrow window the table scrolls inside its card; the page does not.
    await page.setViewportSize({ width: 900, height: 900 })
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'compare-architecture-diff-card-narrow.png') })
    const pageWidth = () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth
    expect(await page.evaluate(pageWidth)).toBeLessThanOrEqual(900)

    // Two runs of one architecture: nothing to diff, no card.
    await page.goto(`${baseUrl}#/compare/${ids[0]},${ids[4]}`)
    await page.getByTestId('hparam-diff').waitFor()
    expect(await page.getByTestId('architecture-diff').count()).toBe(0)
  }, 120_000)
})
