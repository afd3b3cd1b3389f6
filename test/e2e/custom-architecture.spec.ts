/**
 * A custom architecture from New run: Customize a preset, edit its JSON, see the layer table follow
 * and an impossible layer named inline, then train it briefly and find it named on the run page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchWorkbench, type Workbench } from './harness'
import { screenshotBothThemes } from './helpers'

let wb: Workbench

beforeAll(async () => {
  wb = await launchWorkbench()
  await wb.page.getByTestId('experiments-view').waitFor()
})

afterAll(async () => {
  await wb?.close()
})

const TINY = { name: 'e2e-tiny', layers: [{ kind: 'flatten' }, { kind: 'dense', units: 16, activation: 'relu' }, { kind: 'output' }] }

describe('Custom architecture', () => {
  it('customizes a preset, shows errors inline, and trains the edited architecture', async () => {
    const page = wb.page
    await page.getByTestId('nav-new').click()
    await page.getByTestId('new-run-view').waitFor()
    await page.getByTestId('customize-dense').click()
    const table = page.getByTestId('custom-layer-table')
    await table.waitFor()
    const rowsBefore = await table.locator('tbody tr').count()
    const json = page.getByTestId('custom-json').locator('textarea')

    await json.fill(JSON.stringify(TINY, null, 2))
    await expect.poll(() => table.locator('tbody tr').count()).not.toBe(rowsBefore)
    expect(await page.getByTestId('custom-summary').textContent()).toContain('12,730 parameters')

    await json.fill(JSON.stringify({ ...TINY, layers: TINY.layers.slice(1) }))
    await expect.poll(() => page.getByTestId('custom-error').textContent()).toMatch(/layer 0 \(dense\)/)
    expect(await page.getByTestId('start-run').isDisabled()).toBe(true)

    await json.fill(JSON.stringify(TINY, null, 2))
    await table.waitFor()
    await page.getByTestId('hp-epochs').locator('input').fill('1')
    await page.getByTestId('hp-epochs').locator('input').blur()
    await page.getByTestId('hp-trainSubset-enabled').click()
    await page.getByTestId('hp-trainSubset').locator('input').fill('200')
    await page.getByTestId('hp-trainSubset').locator('input').blur()
    await page.setViewportSize({ width: 900, height: 900 })
    await screenshotBothThemes(page, 'new-run-custom-architecture')
    const pageWidth = () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth
    expect(await page.evaluate(pageWidth)).toBeLessThanOrEqual(900)

    await page.getByTestId('start-run').click()
    await page.waitForURL(/#\/runs\/\d+$/)
    await expect.poll(() => page.getByTestId('run-architecture').textContent(), { timeout: 30_000 }).toContain('Architecture: e2e-tiny')
  }, 120_000)
})
