/**
 * Try it and Why: draw a stroke and get a prediction; drop a PNG made from a test image and get the
 * prediction the model makes for that test image; a gallery image opens its saliency map.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import type { RunSummary } from '@shared/run'
import { launchWorkbench, type Workbench } from './harness'
import { SCREENSHOT_DIR, api, trainRun } from './helpers'
import { whitePng } from '../helpers/plain-png'

let wb: Workbench
let run: RunSummary
beforeAll(async () => {
  wb = await launchWorkbench()
  run = await trainRun(wb.core, 'e2e try it', { epochs: 1, trainSubset: 3000 })
  await wb.page.goto(`${wb.baseUrl}#/runs/${run.id}`)
  await wb.page.getByTestId('try-it').waitFor()
  // The galleries above load last and push the panel down; draw only once the page stops moving.
  await wb.page.getByTestId('misclassified-gallery').getByTestId('gallery-item').first().waitFor()
})

afterAll(async () => {
  await wb?.close()
})

/** Element screenshots in both themes. */
async function shootBothThemes(page: Page, target: Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.waitForTimeout(400)
    await target.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${colorScheme}.png`) })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

const predictedClass = async (page: Page): Promise<string | null> => page.getByTestId('try-it-prediction').getAttribute('data-class')

/** The red channel of a canvas sampled at the centre of each cell of a 28×28 grid over it. */
const canvasGrid = (canvas: Locator): Promise<number[]> =>
  canvas.evaluate((node) => {
    const c = node as unknown as {
      width: number
      height: number
      getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } }
    }
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height)
    const cell = c.width / 28
    const out: number[] = []
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) out.push(data[(Math.floor((y + 0.5) * cell) * c.width + Math.floor((x + 0.5) * cell)) * 4])
    }
    return out
  })

/** Drops a file onto the Try it panel, as a person would. */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ([b64, fileName]) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      // Runs in the page, where DataTransfer exists (the spec's own types are Node's).
      const Transfer = (globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): void } } }).DataTransfer
      const dt = new Transfer()
      dt.items.add(new File([data], fileName, { type: 'image/png' }))
      return dt
    },
    [bytes.toString('base64'), name] as const
  )
  await page.getByTestId('try-it').dispatchEvent('drop', { dataTransfer })
}

describe('Try it', () => {
  it('predicts while a stroke is drawn', async () => {
    const { page } = wb
    const canvas = page.getByTestId('try-it-canvas')
    await canvas.scrollIntoViewIfNeeded()
    const box = (await canvas.boundingBox())!
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.2)
    await page.mouse.down()
    for (let s = 0; s <= 20; s++) await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * (0.2 + 0.03 * s))
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.8, { steps: 10 })
    await page.mouse.up()
    await expect.poll(() => predictedClass(page), { timeout: 20_000 }).toMatch(/^\d$/)
    expect(await page.getByTestId('try-it-input').isVisible()).toBe(true)
    expect(await page.getByTestId('try-it-source').textContent()).toBe('your drawing')
    await shootBothThemes(page, page.getByTestId('try-it'), 'try-it-drawing')
    const predicts = wb.calls.filter((c) => c.channel === 'models.predict')
    expect(predicts.length).toBeGreaterThan(0)
    console.log(
      `models.predict while drawing: ${predicts.length} calls, core time median ${predicts
        .map((c) => c.ms)
        .sort((a, b) => a - b)
        [Math.floor(predicts.length / 2)].toFixed(1)} ms`
    )
    expect(wb.pageErrors).toEqual([])
  })

  it('a dropped PNG of a test image gets the prediction of that test image', async () => {
    const { page } = wb
    const testSet = await api(wb.core, 'dataset.testSet', {})
    const index = 17
    const png = await sharp(Buffer.from(testSet.images.slice(index * 784, (index + 1) * 784)), {
      raw: { width: 28, height: 28, channels: 1 }
    })
      .png()
      .toBuffer()
    await dropFile(page, 'test-17.png', png)
    await expect.poll(() => page.getByTestId('try-it-source').textContent(), { timeout: 20_000 }).toBe('test-17.png')

    // The pad shows the dropped picture (not the earlier drawing), and "The model sees" shows exactly
    // the values the model gets: light on dark, as in the file.
    const image = Array.from(testSet.images.slice(index * 784, (index + 1) * 784))
    const pad = await canvasGrid(page.getByTestId('try-it-canvas'))
    expect(Math.max(...pad.map((v, i) => Math.abs(v - image[i]!)))).toBeLessThan(12)
    expect(await page.getByTestId('try-it-pad-picture').textContent()).toMatch(/Showing test-17\.png/)
    expect(await canvasGrid(page.getByTestId('try-it-input'))).toEqual(image)
    await expect.poll(() => predictedClass(page), { timeout: 20_000 }).toMatch(/^\d$/)
    const fromPng = Number(await predictedClass(page))

    // The prediction the run stored for that test image when it finished training.
    const stored = await api(wb.core, 'runs.predictions', { id: run.id })
    const expected = stored!.predicted[index]!
    expect(fromPng).toBe(expected)

    // Picking the same test image in the panel agrees too.
    await page.getByTestId('try-it-test-index').locator('input').fill(String(index))
    await page.getByTestId('try-it-use-test').click()
    await expect.poll(() => page.getByTestId('try-it-source').textContent()).toMatch(/^test image 17 /)
    await expect.poll(() => predictedClass(page)).toBe(String(expected))

    // The pad shows the chosen test image too.
    const padNow = await canvasGrid(page.getByTestId('try-it-canvas'))
    expect(Math.max(...padNow.map((v, i) => Math.abs(v - image[i]!)))).toBeLessThan(12)

    // Why: the map beside the plain input, never over it.
    await page.getByTestId('try-it-why').click()
    await expect.poll(() => page.getByTestId('try-it-why-map').getAttribute('data-saliency'), { timeout: 20_000 }).toBe('on')
    expect(await page.getByTestId('try-it-input').getAttribute('data-saliency')).toBe('off')
    expect(await canvasGrid(page.getByTestId('try-it-input'))).toEqual(image)
    await shootBothThemes(page, page.getByTestId('try-it'), 'try-it')
    await page.getByTestId('try-it-why').click()
    expect(wb.pageErrors).toEqual([])
  })

  it('says when a picture is blank, and not for a real one', async () => {
    const { page } = wb
    expect(await page.getByTestId('try-it-blank').count()).toBe(0)
    const white = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer()
    await dropFile(page, 'white.png', white)
    await expect.poll(() => page.getByTestId('try-it-source').textContent(), { timeout: 20_000 }).toBe('white.png')
    await expect
      .poll(() => page.getByTestId('try-it-blank').textContent(), { timeout: 10_000 })
      .toMatch(/The image is blank .*means nothing/)
    await shootBothThemes(page, page.getByTestId('try-it'), 'try-it-blank')
    await page.getByTestId('try-it-use-test').click()
    await expect.poll(() => page.getByTestId('try-it-blank').count()).toBe(0)
    expect(wb.pageErrors).toEqual([])
  })

  it('a file that is not an image gets a clear message and the previous image stays', async () => {
    const { page } = wb
    await page.getByTestId('try-it-file').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') })
    await expect
      .poll(() => page.getByTestId('try-it-problem').textContent(), { timeout: 10_000 })
      .toMatch(/notes\.png is not an image .*previous image is kept/)
    expect(await page.getByTestId('try-it-source').textContent()).toMatch(/^test image 17 /)
  })

  it('refuses a 39,999,999 × 1 PNG from its header, saying the limit, and keeps the previous image', async () => {
    const { page } = wb
    await dropFile(page, 'strip.png', whitePng(39_999_999, 1))
    await expect
      .poll(() => page.getByTestId('try-it-problem').textContent(), { timeout: 10_000 })
      .toMatch(
        /strip\.png is 39999999×1 pixels, .*images up to 50 times longer on one side than the other are accepted.*previous image is kept/
      )
    expect(await page.getByTestId('try-it-source').textContent()).toMatch(/^test image 17 /)
    expect(wb.pageErrors).toEqual([])
  })

  it('a gallery image opens its saliency map, for the class chosen', async () => {
    const { page } = wb
    const thumb = page.getByTestId('misclassified-gallery').getByTestId('gallery-item').first()
    await thumb.scrollIntoViewIfNeeded()
    await thumb.click()
    const dialog = page.getByTestId('saliency-dialog')
    await dialog.waitFor()
    const map = page.getByTestId('saliency-map')
    await expect.poll(() => map.getAttribute('data-saliency'), { timeout: 20_000 }).toBe('on')
    const calls = wb.calls.filter((c) => c.channel === 'models.saliency').length
    await page.getByTestId('saliency-class').click()
    await page.locator('.n-base-select-option').nth(3).click()
    await expect.poll(() => wb.calls.filter((c) => c.channel === 'models.saliency').length).toBeGreaterThan(calls)
    await shootBothThemes(page, page.locator('.n-card.n-modal'), 'saliency')
    expect(wb.pageErrors).toEqual([])
  })
})
