/**
 * A 2 × 2 grid sweep from the sweep form (learning rate 0.001 and 0.01 on a log scale, batch 32 and
 * 64, one seed, 1,000 images, 1 epoch) → 4 queued runs recorded as one sweep → the sweep view with
 * parallel coordinates and a scatter, the best configuration named, and a point that opens its run.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SweepDetail } from '@shared/group'
import { spreadOf } from '@shared/spread'
import { launchWorkbench, type Workbench } from './harness'
import { api, SCREENSHOT_DIR, screenshotBothThemes, waitForRun } from './helpers'

let wb: Workbench
let sweep: SweepDetail

beforeAll(async () => {
  wb = await launchWorkbench()
})

afterAll(async () => {
  await wb?.close()
})

async function setNumber(testid: string, value: string): Promise<void> {
  const input = wb.page.getByTestId(testid).locator('input')
  await input.fill(value)
  await input.blur()
}

async function setText(testid: string, value: string): Promise<void> {
  await wb.page.getByTestId(testid).locator('input').fill(value)
}

/** CSS position of a strongly coloured pixel (a viridis-coloured mark) inside a chart's plot area, or null. */
async function colouredPoint(
  testid: string,
  area: { left: number; right: number; top: number; bottom: number }
): Promise<{ x: number; y: number } | null> {
  const canvas = wb.page.getByTestId(testid).locator('canvas').first()
  const box = (await canvas.boundingBox())!
  const hit = await canvas.evaluate((el, a) => {
    const c = el as unknown as {
      width: number
      height: number
      clientWidth: number
      getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } }
    }
    const scale = c.width / c.clientWidth
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height)
    for (let y = Math.round(a.top * scale); y < c.height - a.bottom * scale; y++) {
      for (let x = Math.round(a.left * scale); x < c.width - a.right * scale; x++) {
        const i = (y * c.width + x) * 4
        const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!]
        if (Math.max(r, g, b) - Math.min(r, g, b) > 90) return { x: x / scale, y: y / scale }
      }
    }
    return null
  }, area)
  return hit && { x: box.x + hit.x + 3, y: box.y + hit.y + 3 }
}

describe('Sweeps', () => {
  it('shows the number of runs before starting, and queues a 2 × 2 grid as one sweep of 4 runs', async () => {
    const { page } = wb
    await page.getByTestId('experiments-view').waitFor()
    await page.getByTestId('nav-sweeps').click()
    await page.getByTestId('new-sweep').click()
    await page.getByTestId('sweep-form').waitFor()
    await setNumber('sweep-lr-min', '0.001')
    await setNumber('sweep-lr-max', '0.01')
    await setNumber('sweep-lr-count', '2')
    await setText('sweep-batch-sizes', '32, 64')
    await setText('sweep-epochs', '1')
    await setNumber('sweep-seed-count', '1')
    await setNumber('sweep-subset', '1000')
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toMatch(/4 configurations × 1 seed = 4 runs/)
    // Too many runs are refused before anything is queued.
    await setNumber('sweep-seed-count', '20')
    await setText('sweep-batch-sizes', '16, 32, 64, 128')
    await setNumber('sweep-lr-count', '3')
    await expect.poll(() => page.getByTestId('sweep-problems').textContent()).toMatch(/would queue 240 runs; at most 200/)
    expect(await page.getByTestId('start-sweep').isDisabled()).toBe(true)
    await setNumber('sweep-lr-count', '2')
    await setText('sweep-batch-sizes', '32, 64')
    await setNumber('sweep-seed-count', '1')
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toMatch(/= 4 runs/)
    await page.getByTestId('start-sweep').click()
    await page.waitForURL(/#\/sweeps\/\d+$/)
    const id = Number(/#\/sweeps\/(\d+)$/.exec(page.url())![1])
    sweep = await api(wb.core, 'sweeps.get', { id })
    expect(sweep.runs.map((r) => [r.learningRate, r.batchSize, r.epochs, r.seed])).toEqual([
      [0.001, 32, 1, 42],
      [0.001, 64, 1, 42],
      [0.01, 32, 1, 42],
      [0.01, 64, 1, 42]
    ])
    for (const r of sweep.runs) await waitForRun(wb.core, r.runId)
    sweep = await api(wb.core, 'sweeps.get', { id })
    expect(sweep.completedCount).toBe(4)
  })

  it('draws parallel coordinates and the scatter, and names the best configuration', async () => {
    const { page } = wb
    const view = page.getByTestId('sweep-view')
    await expect.poll(() => view.getByTestId('sweep-best-config').isVisible(), { timeout: 10_000 }).toBe(true)
    for (const chart of ['sweep-chart-parallel', 'sweep-chart-scatter'])
      await view.locator(`[data-testid="${chart}"] canvas`).first().waitFor()
    const best = sweep.runs.reduce((a, b) => (b.testAccuracy! > a.testAccuracy! ? b : a))
    const text = await view.getByTestId('sweep-best-config').textContent()
    expect(text).toContain(`learning rate ${best.learningRate}`)
    expect(text).toContain(`batch size ${best.batchSize}`)
    expect(await view.getByTestId('sweep-best-accuracy').textContent()).toContain(
      `${(spreadOf([best.testAccuracy])!.mean * 100).toFixed(2)}%`
    )
    await screenshotBothThemes(page, 'sweep')
    await page.getByTestId('sweep-chart-parallel').screenshot({ path: join(SCREENSHOT_DIR, 'sweep-parallel.png') })
    expect(await view.getByTestId('sweep-fixed').textContent()).toContain('epochs 1')
    expect(wb.pageErrors).toEqual([])
  })

  it('opens a run by clicking its point, and plots the chosen hyperparameter', async () => {
    const { page } = wb
    await page.getByTestId('sweep-scatter-x').click()
    await page.locator('.n-base-select-option', { hasText: 'batch size' }).click()
    await expect.poll(() => page.getByTestId('sweep-chart-scatter').textContent()).toContain('batch size')
    await page.waitForTimeout(300)
    const point = await colouredPoint('sweep-chart-scatter', { left: 72, right: 110, top: 48, bottom: 52 })
    expect(point).not.toBeNull()
    await page.mouse.click(point!.x, point!.y)
    await page.waitForURL(/#\/runs\/\d+$/)
    const opened = Number(/#\/runs\/(\d+)$/.exec(page.url())![1])
    expect(sweep.runs.map((r) => r.runId)).toContain(opened)
    await page.getByTestId('run-title').waitFor()
  })

  it('lists the sweep among the sweeps', async () => {
    const { page } = wb
    await page.getByTestId('nav-sweeps').click()
    const row = page.locator(`[data-testid="sweep-row"][data-sweep-id="${sweep.id}"]`)
    await expect.poll(() => row.textContent()).toContain('4 of 4 completed')
  })
})
