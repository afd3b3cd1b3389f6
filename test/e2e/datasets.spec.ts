/**
 * The Datasets view over the real core: Fashion-MNIST listed as ready, a small generated folder of
 * colour images imported through the folder field (the browser shell's server path), its report
 * (skipped and duplicate files) and sample grid with Unicode class names, then removed.
 * Screenshots: light, dark and 900 px.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchWorkbench, type Workbench } from './harness'
import { api, quickHparams, screenshotBothThemes, waitForRun } from './helpers'

/** Class folder names (one Japanese) and the colour each class's images lean to. */
const CLASSES: Array<{ folder: string; rgb: [number, number, number] }> = [
  { folder: 'red squares', rgb: [220, 40, 40] },
  { folder: 'blue', rgb: [40, 60, 220] },
  { folder: 'き', rgb: [40, 180, 60] }
]
const PER_CLASS = 10

let root = ''
const open: Workbench[] = []

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'atelier-e2e-folder-'))
  for (const [c, { folder, rgb }] of CLASSES.entries()) {
    const dir = join(root, folder)
    mkdirSync(dir, { recursive: true })
    for (let i = 0; i < PER_CLASS; i++) {
      const side = 20 + ((i * 7 + c) % 13)
      const pixels = Buffer.alloc(side * side * 3)
      for (let p = 0; p < side * side; p++) {
        const shade = ((p + i * 31) % 50) - 25
        for (let k = 0; k < 3; k++) pixels[p * 3 + k] = Math.max(0, Math.min(255, rgb[k] + shade))
      }
      await sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
        .png()
        .toFile(join(dir, `img-${i}.png`))
    }
  }
  // One file that is no image, and one identical copy: both belong in the report.
  writeFileSync(join(root, 'blue', 'notes.jpg'), 'not a picture')
  copyFileSync(join(root, 'blue', 'img-0.png'), join(root, 'blue', 'img-0-copy.png'))
})

afterAll(async () => {
  for (const wb of open) await wb.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('Datasets view', () => {
  it('lists Fashion-MNIST as ready, imports a folder with its report and samples, and removes it', async () => {
    const wb = await launchWorkbench({ viewport: { width: 1280, height: 900 } })
    open.push(wb)
    const { page } = wb
    await page.goto(`${wb.baseUrl}#/datasets`)
    await page.getByTestId('datasets-view').waitFor()
    const fashion = page.getByTestId('dataset-row-fashion-mnist')
    await fashion.waitFor()
    expect(await fashion.getAttribute('data-ready')).toBe('true')
    expect(await page.getByTestId('dataset-status-fashion-mnist').textContent()).toContain('ready')
    expect(await fashion.textContent()).toContain('28×28 gray')
    await page.getByTestId('dataset-sample-grid').waitFor()
    await screenshotBothThemes(page, 'datasets')

    await page.getByTestId('dataset-add-folder').click()
    await page.getByTestId('folder-import-path').locator('input').fill(root)
    await page.getByTestId('folder-import-name').locator('input').fill('e2e-shapes')
    await page.getByTestId('folder-import-size').locator('input').fill('16')
    await page.getByTestId('folder-import-color').getByText('RGB').click()
    await page.getByTestId('folder-import-submit').click()
    await page.getByTestId('folder-import-done').waitFor({ timeout: 120_000 })
    const report = (await page.getByTestId('dataset-import-report').first().textContent()) ?? ''
    expect(report).toContain(`${CLASSES.length * PER_CLASS} imported`)
    expect(report).toContain('1 skipped')
    expect(report).toContain('1 duplicate')

    // The new dataset opens: RGB at the chosen size, one sample row per class, named as its folder.
    const row = page.getByTestId('dataset-row-e2e-shapes')
    await row.waitFor()
    expect(await row.textContent()).toContain('16×16 RGB')
    await page.locator('[data-testid="dataset-detail"][data-dataset="e2e-shapes"]').waitFor()
    const grid = page.getByTestId('dataset-sample-grid')
    await grid.waitFor()
    const names = await grid.getByTestId('dataset-sample-class').allTextContents()
    expect(names.map((n) => n.trim()).sort()).toEqual(CLASSES.map((c) => c.folder).sort())
    expect(await grid.locator('canvas').count()).toBeGreaterThanOrEqual(CLASSES.length)
    await page.getByTestId('dataset-class-chart').waitFor()
    await screenshotBothThemes(page, 'datasets-folder-import')
    await page.setViewportSize({ width: 900, height: 800 })
    await screenshotBothThemes(page, 'datasets-folder-import-900')
    await page.setViewportSize({ width: 1280, height: 900 })

    // A run on it shows the folder's class names and its colour images on the run page.
    const started = await api(wb.core, 'runs.start', {
      hparams: quickHparams({ dataset: 'e2e-shapes', epochs: 2, trainSubset: null, batchSize: 8 }),
      name: 'on e2e-shapes'
    })
    await waitForRun(wb.core, started.id)
    await page.goto(`${wb.baseUrl}#/runs/${started.id}`)
    await page.getByTestId('run-test-results').waitFor()
    const perClass = await page.getByTestId('class-metrics-table').locator('td.class-name').allTextContents()
    expect(perClass.map((n) => n.trim())).toEqual(CLASSES.map((c) => c.folder).sort((a, b) => (a < b ? -1 : 1)))
    await page.getByTestId('confusion-table-toggle').click()
    expect(await page.getByTestId('confusion-table').textContent()).toContain('red squares')
    const thumbs = page.getByTestId('misclassified-gallery-grid').locator('canvas')
    if ((await thumbs.count()) > 0) expect(await thumbs.first().getAttribute('width')).toBe('16')
    expect(await page.getByTestId('run-header-dataset').textContent()).toBe('e2e-shapes')
    expect(await page.getByTestId('run-dataset-warning').count()).toBe(0)
    // Try it takes the run's test images at their own size.
    await page.getByTestId('try-it-use-test').click()
    await page.getByTestId('try-it-input').waitFor()
    expect(await page.getByTestId('try-it-input').getAttribute('width')).toBe('16')
    await page.locator('[data-testid="try-it-prediction"][data-class]:not([data-class=""])').waitFor()
    await screenshotBothThemes(page, 'run-on-folder-dataset')

    // New run offers it, with its size as the subset's bound.
    await page.goto(`${wb.baseUrl}#/new`)
    await page.getByTestId('dataset-picker').waitFor()
    await page.getByTestId('dataset-picker').click()
    await page.getByText('e2e-shapes — 16×16 RGB, 3 classes, 24 train').click()
    expect(await page.getByTestId('hp-trainSubset-all').textContent()).toContain('all 24')
    await page.setViewportSize({ width: 900, height: 800 })
    await screenshotBothThemes(page, 'new-run-dataset-picker-900')
    await page.setViewportSize({ width: 1280, height: 900 })

    // One run uses it: the confirmation says so, and removes both only when asked.
    await page.goto(`${wb.baseUrl}#/datasets/e2e-shapes`)
    await page.getByTestId('dataset-remove').click()
    expect(await page.getByTestId('dataset-remove-text').textContent()).toContain('1 run trained on e2e-shapes')
    expect(await page.getByTestId('dataset-remove-confirm').isDisabled()).toBe(true)
    await page.getByTestId('dataset-remove-with-runs').click()
    await page.getByTestId('dataset-remove-confirm').click()
    await row.waitFor({ state: 'detached' })
    expect((await api(wb.core, 'runs.list', {})).some((r) => r.id === started.id)).toBe(false)
    expect(wb.pageErrors).toEqual([])
  })
})
