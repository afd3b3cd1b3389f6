/**
 * Is B really better than A: two small dense runs compared in the browser, with the significance
 * sentence checked against the core, curve smoothing carried into a CSV export, the PDF report read
 * back with pdftotext, and the Experiments table exported as CSV.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '@shared/run'
import { pdfTools } from '../helpers/pdf-tools'
import { launchWorkbench, type Workbench } from './harness'
import { api, screenshotBothThemes, trainRun } from './helpers'

let wb: Workbench
let a: RunSummary
let b: RunSummary

beforeAll(async () => {
  wb = await launchWorkbench()
  a = await trainRun(wb.core, 'sig A', { learningRate: 0.0005, epochs: 3 })
  b = await trainRun(wb.core, 'sig B', { learningRate: 0.003, epochs: 3 })
})

afterAll(async () => {
  await wb?.close()
})

/** Waits for the next file written through a save dialog and returns its path. */
async function nextSaved(before: number): Promise<string> {
  await expect.poll(() => wb.saved.length, { timeout: 60_000 }).toBe(before + 1)
  const path = wb.saved[before]!
  await expect
    .poll(
      () => {
        try {
          return readFileSync(path).length
        } catch {
          return 0
        }
      },
      { timeout: 60_000 }
    )
    .toBeGreaterThan(0)
  return path
}

const pdf = pdfTools()

describe('Significance, smoothing and exports', () => {
  it('shows the significance sentence the core computes, with both Wilson intervals', async () => {
    const { page } = wb
    await page.goto(`${wb.baseUrl}#/compare/${a.id},${b.id}`)
    const sentence = page.getByTestId('significance-sentence')
    await sentence.waitFor({ timeout: 60_000 })
    const expected = await api(wb.core, 'compare.significance', { a: { kind: 'run', id: a.id }, b: { kind: 'run', id: b.id } })
    expect(await sentence.textContent()).toBe(expected.sentence)
    expect(expected.sentence).toMatch(/p [<=] /)
    expect(await page.getByTestId('significance-A').textContent()).toContain(`${(expected.a.accuracy * 100).toFixed(2)}%`)
    expect(await page.getByTestId('significance-B').textContent()).toContain(`${(expected.b.interval!.low * 100).toFixed(2)}%`)
    expect(await page.getByTestId('significance-counts').textContent()).toContain(
      `both right ${expected.counts!.bothRight.toLocaleString('en-US')}`
    )
  })

  it('smooths every curve chart from one control, and the CSV export carries the setting', async () => {
    const { page } = wb
    const lossPanel = page.getByTestId('compare-chart-loss')
    const slider = lossPanel.getByTestId('chart-smoothing-slider')
    const box = (await slider.boundingBox())!
    // Click the rail about 60 % along, as a person would.
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height / 2)
    const value = lossPanel.getByTestId('chart-smoothing-value')
    await expect.poll(() => value.textContent()).not.toBe('off')
    const weight = Number(await value.textContent())
    expect(weight).toBeGreaterThan(0.4)
    expect(weight).toBeLessThan(0.8)
    // One setting for all curve charts.
    expect(await page.getByTestId('compare-chart-val_accuracy').getByTestId('chart-smoothing-value').textContent()).toBe(weight.toFixed(2))
    const before = wb.saved.length
    await lossPanel.getByTestId('chart-export-csv').click()
    const header = readFileSync(await nextSaved(before), 'utf8').split('\n')[0]!
    expect(header).toContain(`#${a.id} sig A (EMA ${Number(weight.toFixed(2))})`)
    await screenshotBothThemes(page, 'compare-significance')
    expect(wb.pageErrors).toEqual([])
  })

  it.skipIf(!pdf.ok)(`exports the comparison as a PDF report holding the names and the test${pdf.reason}`, async () => {
    const before = wb.saved.length
    await wb.page.getByTestId('compare-report-pdf').click()
    const pdf = await nextSaved(before)
    expect(pdf).toMatch(/\.pdf$/)
    const text = execFileSync('pdftotext', [pdf, '-']).toString()
    expect(text).toContain(`#${a.id} sig A`)
    expect(text).toContain(`#${b.id} sig B`)
    expect(text).toMatch(/p [<=] \d/)
    expect(text).toContain('Validation accuracy')
  })

  it('exports the Experiments table as filtered to CSV in one step', async () => {
    const { page } = wb
    await page.goto(`${wb.baseUrl}#/experiments`)
    await page.getByTestId('export-runs-csv').waitFor()
    const before = wb.saved.length
    await page.getByTestId('export-runs-csv').click()
    const rows = readFileSync(await nextSaved(before), 'utf8')
      .trim()
      .split('\n')
    expect(rows[0]).toMatch(/^id,name,preset,status,best_val_accuracy,test_accuracy,/)
    expect(
      rows
        .slice(1)
        .map((r) => Number(r.split(',')[0]))
        .sort()
    ).toEqual([a.id, b.id].sort())
    await screenshotBothThemes(page, 'experiments-export')
    expect(wb.pageErrors).toEqual([])
  })
})
