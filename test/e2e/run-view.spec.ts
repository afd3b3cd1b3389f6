/**
 * The run view of a finished run: curves, confusion matrix and gallery; a confusion cell opens
 * exactly the test images with that (true, predicted) pair; charts export to PNG and SVG files.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '@shared/run'
import { launchWorkbench, type Workbench } from './harness'
import { api, decodePngSize, parseSvgInPage, screenshotBothThemes, trainRun } from './helpers'

let wb: Workbench
let run: RunSummary

beforeAll(async () => {
  wb = await launchWorkbench()
  run = await trainRun(wb.core, 'e2e run view', { epochs: 2, trainSubset: 2000 })
  await wb.page.goto(`${wb.baseUrl}#/runs/${run.id}`)
  await wb.page.getByTestId('run-test-results').waitFor()
})

afterAll(async () => {
  await wb?.close()
})

describe('Run view', () => {
  it('shows curves, the confusion matrix and the misclassified gallery', async () => {
    const { page } = wb
    expect(await page.getByTestId('run-title').textContent()).toBe('e2e run view')
    for (const id of ['chart-loss', 'chart-accuracy', 'confusion-matrix']) {
      await page.locator(`[data-testid="${id}"] [data-testid="chart-canvas"] canvas`).first().waitFor()
    }
    const detail = await api(wb.core, 'runs.get', { id: run.id })
    expect(await page.getByTestId('run-test-accuracy').textContent()).toContain((detail.metrics!.testAccuracy * 100).toFixed(1))
    const gallery = page.getByTestId('misclassified-gallery')
    await gallery.getByTestId('gallery-item').first().waitFor()
    await screenshotBothThemes(page, 'run-view')
    expect(wb.pageErrors).toEqual([])
  })

  it('opens exactly the images of a confusion cell', async () => {
    const { page } = wb
    const [testSet, predictions, detail] = await Promise.all([
      api(wb.core, 'dataset.testSet', {}),
      api(wb.core, 'runs.predictions', { id: run.id }),
      api(wb.core, 'runs.get', { id: run.id })
    ])
    if (!predictions) throw new Error('the finished run has no stored predictions')
    const confusion = detail.metrics!.confusion
    // The largest off-diagonal cell of at most 30 images, so the whole gallery is on screen at once
    // (the gallery renders only the visible window).
    let cell = { row: -1, col: -1, count: 0 }
    confusion.forEach((counts, row) =>
      counts.forEach((count, col) => {
        if (row !== col && count <= 30 && count > cell.count) cell = { row, col, count }
      })
    )
    expect(cell.row).toBeGreaterThanOrEqual(0)
    const expected = [...testSet.labels.keys()].filter((i) => testSet.labels[i] === cell.row && predictions.predicted[i] === cell.col)
    expect(expected.length).toBe(cell.count)

    await page.locator('[data-testid="confusion-matrix"] [data-testid="confusion-table-toggle"]').click()
    const button = page.getByTestId(`confusion-cell-${cell.row}-${cell.col}`)
    expect(Number(await button.textContent())).toBe(cell.count)
    await button.click()
    const gallery = page.getByTestId('cell-gallery')
    await gallery.getByTestId('gallery-item').first().waitFor()
    expect(Number(await gallery.getAttribute('data-count'))).toBe(expected.length)
    const shown = await gallery.getByTestId('gallery-item').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))))
    expect(shown.sort((a, b) => a - b)).toEqual(expected)
    await screenshotBothThemes(page, 'run-view-confusion-cell')
    await page.keyboard.press('Escape')
    await gallery.waitFor({ state: 'hidden' })
  })

  it('exports a chart as a PNG that decodes and an SVG that parses', async () => {
    const { page } = wb
    const panel = page.getByTestId('chart-loss')
    const before = wb.saved.length
    await panel.getByTestId('chart-export-png').click()
    await expect.poll(() => wb.saved.length).toBe(before + 1)
    const pngPath = wb.saved[before]!
    expect(pngPath).toMatch(/\.png$/)
    await expect
      .poll(() => {
        try {
          return readFileSync(pngPath).length
        } catch {
          return 0
        }
      })
      .toBeGreaterThan(0)
    const size = decodePngSize(new Uint8Array(readFileSync(pngPath)))
    expect(size.width).toBeGreaterThan(100)
    expect(size.height).toBeGreaterThan(100)

    await panel.getByTestId('chart-export-svg').click()
    await expect.poll(() => wb.saved.length).toBe(before + 2)
    const svgPath = wb.saved[before + 1]!
    expect(svgPath).toMatch(/\.svg$/)
    await expect
      .poll(() => {
        try {
          return readFileSync(svgPath, 'utf8').length
        } catch {
          return 0
        }
      })
      .toBeGreaterThan(0)
    const svg = await parseSvgInPage(page, readFileSync(svgPath, 'utf8'))
    expect(svg.root).toBe('svg')
    // A drawn chart has axes, lines and labels, not an empty frame.
    expect(svg.children).toBeGreaterThan(20)
    console.log(`[export] PNG ${size.width}×${size.height} (${readFileSync(pngPath).length} bytes), SVG ${svg.children} elements`)
  })
})
