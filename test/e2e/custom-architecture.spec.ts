/**
 * A custom architecture from New run: Customize a preset, edit its JSON, see the layer table follow
 * and an impossible layer named inline, then train it briefly and find it named on the run page; and
 * build one with the structural editor (add, move, duplicate, delete, set a parameter), the JSON and
 * the table following.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchWorkbench, type Workbench } from './harness'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SCREENSHOT_DIR, screenshotBothThemes } from './helpers'
import { ROOT } from './renderer-build'

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

  it('builds a model structurally: add, move, duplicate, delete and set a parameter, the JSON and the table following', async () => {
    const page = wb.page
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.getByTestId('nav-new').click()
    await page.getByTestId('new-run-view').waitFor()
    await page.getByTestId('preset-custom').click()
    const json = page.getByTestId('custom-json').locator('textarea')
    await json.fill(JSON.stringify({ name: 'e2e-built', layers: [{ kind: 'flatten' }, { kind: 'output' }] }, null, 2))
    const table = page.getByTestId('custom-layer-table')
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2)
    const kinds = async (): Promise<string[]> =>
      (JSON.parse(await json.inputValue()) as { layers: Array<{ kind: string }> }).layers.map((l) => l.kind)
    const chooseKind = async (kind: string): Promise<void> => {
      await page.getByTestId('custom-add-kind').click()
      // The menu is a virtual list: filter it down to the kind first.
      await page.keyboard.type(kind)
      await page
        .locator('.n-base-select-option')
        .filter({ hasText: new RegExp(`^${kind}$`) })
        .click()
    }

    // A convolution after flatten cannot work: the layer, its diagram node and the check say so.
    await page.getByTestId('layer-0').focus()
    await chooseKind('conv2d')
    await page.getByTestId('custom-add-layer').click()
    await expect.poll(kinds).toEqual(['flatten', 'conv2d', 'output'])
    await expect.poll(() => page.getByTestId('layer-1-error').textContent()).toMatch(/layer 1 \(conv2d\): conv2d needs an image/)
    expect(await page.getByTestId('custom-error').textContent()).toMatch(/layer 1 \(conv2d\)/)
    expect(await page.getByTestId('diagram-1').getAttribute('class')).toContain('bad')
    expect(await page.getByTestId('start-run').isDisabled()).toBe(true)
    await page.setViewportSize({ width: 900, height: 900 })
    await screenshotBothThemes(page, 'new-run-structure-error')
    await page.getByTestId('custom-architecture').screenshot({ path: join(SCREENSHOT_DIR, 'new-run-structure-error-card.png') })
    await page.setViewportSize({ width: 1280, height: 900 })

    // Alt+↑ moves it first (the focus stays on it), which works.
    await page.getByTestId('layer-1').focus()
    await page.keyboard.press('Alt+ArrowUp')
    await expect.poll(kinds).toEqual(['conv2d', 'flatten', 'output'])
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3)
    await expect.poll(() => page.getByTestId('layer-0-shape').textContent()).toBe('28×28×32')

    await chooseKind('relu')
    await page.getByTestId('layer-0').focus()
    await page.getByTestId('custom-add-layer').click()
    await expect.poll(kinds).toEqual(['conv2d', 'relu', 'flatten', 'output'])
    await page.getByTestId('layer-1').focus()
    await page.keyboard.press('Control+d')
    await expect.poll(kinds).toEqual(['conv2d', 'relu', 'relu', 'flatten', 'output'])
    await page.getByTestId('layer-2').focus()
    await page.keyboard.press('Delete')
    await expect.poll(kinds).toEqual(['conv2d', 'relu', 'flatten', 'output'])
    await page.getByTestId('layer-1-down').click()
    await expect.poll(kinds).toEqual(['conv2d', 'flatten', 'relu', 'output'])
    await page.getByTestId('layer-2-up').click()
    await expect.poll(kinds).toEqual(['conv2d', 'relu', 'flatten', 'output'])

    // A parameter typed key by key into its input (the field keeps the focus): 16 filters of 3×3 → 160 + 125,450 parameters.
    const filters = page.getByTestId('layer-0-filters').locator('input')
    await filters.fill('')
    await filters.pressSequentially('16')
    await expect.poll(() => page.getByTestId('custom-summary').textContent()).toContain('125,610 parameters')
    expect(await json.inputValue()).toContain('"filters": 16')
    await expect.poll(() => table.locator('tbody tr').first().textContent()).toContain('Conv2D 16 3×3 same')
    await page.setViewportSize({ width: 900, height: 900 })
    await screenshotBothThemes(page, 'new-run-structure')
    await page.getByTestId('custom-architecture').screenshot({ path: join(SCREENSHOT_DIR, 'new-run-structure-card.png') })
    const pageWidth = () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth
    expect(await page.evaluate(pageWidth)).toBeLessThanOrEqual(900)

    // A text that does not parse: its error shows, the list keeps the last architecture and the text stays as typed.
    await json.fill('{ "name": "e2e-built", "layers": [')
    await page.getByTestId('custom-structure-stale').waitFor()
    expect(await page.getByTestId('layer-3-kind').textContent()).toBe('output')
    expect(await page.getByTestId('custom-error').textContent()).toContain('not valid JSON')
    expect(await json.inputValue()).toBe('{ "name": "e2e-built", "layers": [')
  }, 120_000)

  it('draws a residual network: its blocks with their skip connection, their layers editable in the list', async () => {
    const page = wb.page
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.getByTestId('nav-new').click()
    await page.getByTestId('new-run-view').waitFor()
    await page.getByTestId('preset-custom').click()
    const json = page.getByTestId('custom-json').locator('textarea')
    await json.fill(readFileSync(join(ROOT, 'examples', 'architectures', 'small-resnet.json'), 'utf8'))
    await page.getByTestId('custom-layer-table').waitFor()
    const block = page.getByTestId('diagram-5')
    expect(await block.textContent()).toContain('⊕')
    expect(await block.textContent()).toContain('14×14×64')
    expect(await block.textContent()).toContain('input via 1×1 conv 64 stride 2')
    expect(await page.getByTestId('layer-5.0-shape').textContent()).toBe('14×14×64')

    // A layer added inside the block, then removed with its key.
    await page.getByTestId('layer-5-add-inside').click()
    const inner = async (): Promise<number> =>
      (JSON.parse(await json.inputValue()) as { layers: Array<{ layers?: unknown[] }> }).layers[5]!.layers!.length
    await expect.poll(inner).toBe(6)
    await page.getByTestId('layer-5.5').focus()
    await page.keyboard.press('Delete')
    await expect.poll(inner).toBe(5)
    await page.getByTestId('custom-diagram').screenshot({ path: join(SCREENSHOT_DIR, 'new-run-structure-diagram.png') })
    await page.getByTestId('custom-structure').screenshot({ path: join(SCREENSHOT_DIR, 'new-run-structure-residual.png') })
  }, 60_000)
})
