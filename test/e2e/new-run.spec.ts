/**
 * Starting a run from the New run view: live progress, completion, the run in Experiments;
 * and invalid input, which shows a message and starts nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchWorkbench, type Workbench } from './harness'
import { api, screenshotBothThemes } from './helpers'
import { PROVEN_RECIPES } from '@shared/proven-recipes'

let wb: Workbench

beforeAll(async () => {
  wb = await launchWorkbench()
  await wb.page.getByTestId('experiments-view').waitFor()
})

afterAll(async () => {
  await wb?.close()
})

async function openNewRun(): Promise<void> {
  await wb.page.getByTestId('nav-new').click()
  await wb.page.getByTestId('new-run-view').waitFor()
}

async function setNumber(testid: string, value: string): Promise<void> {
  const input = wb.page.getByTestId(testid).locator('input')
  await input.fill(value)
  await input.blur()
}

describe('New run', () => {
  it('refuses invalid input with a message and starts nothing', async () => {
    const before = await api(wb.core, 'runs.list', {})
    await openNewRun()
    await wb.page.getByTestId('preset-dense').click()
    await setNumber('hp-epochs', '0')
    await setNumber('hp-learningRate', '5')
    await expect.poll(() => wb.page.getByTestId('form-invalid').isVisible()).toBe(true)
    // The fields say what is wrong, in words.
    const feedback = await wb.page.locator('.n-form-item-feedback__line').allTextContents()
    expect(feedback.length).toBeGreaterThanOrEqual(2)
    expect(await wb.page.getByTestId('start-run').isDisabled()).toBe(true)
    await wb.page.getByTestId('start-run').click({ force: true })
    await wb.page.waitForTimeout(500)
    expect(await api(wb.core, 'runs.list', {})).toEqual(before)
    expect(wb.core.activeRuns()).toBe(0)
    await screenshotBothThemes(wb.page, 'new-run-invalid')
  })

  it('says inline when training would not fit in memory, and what batch would', async () => {
    await wb.page.reload()
    await openNewRun()
    await wb.page.getByTestId('preset-cnn-bn').click()
    await setNumber('hp-batchSize', '4096')
    await expect
      .poll(() => wb.page.getByTestId('form-invalid').textContent())
      .toMatch(/^CNN \+ BatchNorm: training needs at least [\d.]+ GB of memory in batches of 4096, .*use batches of at most \d+ images/)
    expect(await wb.page.getByTestId('start-run').isDisabled()).toBe(true)
    await setNumber('hp-batchSize', '256')
    await expect.poll(() => wb.page.getByTestId('start-run').isDisabled()).toBe(false)
  })

  it('takes an augmentation in the recipe, refusing a shift over a quarter of the image side under its field', async () => {
    await wb.page.reload()
    await openNewRun()
    await wb.page.getByTestId('preset-dense').click()
    await setNumber('hp-recipe-augment-shift', '8')
    const feedback = () => wb.page.locator('.n-form-item-feedback__line').allTextContents()
    await expect
      .poll(async () => (await feedback()).join('\n'))
      .toContain('Augment shift (px): must be at most 7 px, a quarter of the 28×28 images')
    expect(await wb.page.getByTestId('start-run').isDisabled()).toBe(true)
    await setNumber('hp-recipe-augment-shift', '2')
    await wb.page.getByTestId('hp-recipe-augment-flip').click()
    await setNumber('hp-recipe-augment-erase', '0.25')
    await expect.poll(() => wb.page.getByTestId('start-run').isDisabled()).toBe(false)
    expect((await feedback()).join('\n')).toContain('wrong for digits and text')
    await wb.page.getByTestId('recipe-fields').scrollIntoViewIfNeeded()
    await screenshotBothThemes(wb.page, 'new-run-augment')
  })

  it('loads a proven recipe into the form, and trains it as measured with one click', async () => {
    await wb.page.reload()
    await openNewRun()
    const recipe = PROVEN_RECIPES['fashion-mnist-93']
    const card = wb.page.getByTestId('proven-recipe-fashion-mnist-93')
    expect(await card.textContent()).toContain(recipe.measured)
    await wb.page.getByTestId('proven-recipe-load-fashion-mnist-93').click()
    // The form now holds the recipe: its preset chosen, its values in the fields.
    await expect.poll(() => wb.page.getByTestId('preset-cnn-bn').getAttribute('data-selected')).toBe('true')
    expect(await wb.page.getByTestId('hp-epochs').locator('input').inputValue()).toBe(String(recipe.hparams.epochs))
    expect(await wb.page.getByTestId('hp-batchSize').locator('input').inputValue()).toBe(String(recipe.hparams.batchSize))
    expect(await wb.page.getByTestId('hp-recipe-warmupEpochs').locator('input').inputValue()).toBe('1')
    await card.scrollIntoViewIfNeeded()
    await screenshotBothThemes(wb.page, 'new-run-proven-recipe')

    await wb.page.getByTestId('proven-recipe-train-fashion-mnist-93').click()
    await wb.page.waitForURL(/#\/runs\/\d+$/)
    const id = Number(/#\/runs\/(\d+)$/.exec(wb.page.url())?.[1])
    const run = await api(wb.core, 'runs.get', { id })
    expect(run.hparams).toEqual(recipe.hparams)
    expect(run.name).toBe(recipe.title)
    // Twenty epochs of the full set are not for a test: stop it once it is recorded.
    await api(wb.core, 'runs.cancel', { id })
    await expect.poll(async () => (await api(wb.core, 'runs.get', { id })).status, { timeout: 60_000 }).toBe('cancelled')
    expect(wb.pageErrors).toEqual([])
  })

  it('starts a dense run, shows live progress, finishes, and lists it in Experiments', async () => {
    // A fresh page: the form keeps its draft while the page lives.
    await wb.page.reload()
    await openNewRun()
    await wb.page.getByTestId('preset-dense').click()
    // Long enough (~20 s here) that the run is still training when Experiments opens after the screenshots.
    await setNumber('hp-epochs', '12')
    await wb.page.getByTestId('hp-trainSubset-enabled').click()
    await setNumber('hp-trainSubset', '2000')
    await setNumber('hp-recipe-augment-shift', '2')
    await setNumber('hp-recipe-augment-erase', '0.25')
    await wb.page.getByTestId('run-name-input').locator('input').fill('e2e dense')
    await screenshotBothThemes(wb.page, 'new-run')

    // Record every progress event the page receives, through the transport the page uses: the
    // server's event stream (a second subscriber, same cookie) or the IPC bridge.
    await wb.page.evaluate(async (transport) => {
      const w = globalThis as unknown as {
        atelier: { on(e: string, l: (p: unknown) => void): () => void }
        EventSource: new (url: string) => { addEventListener(e: string, l: (m: { data: string }) => void): void }
        seen: unknown[]
      }
      w.seen = []
      if (transport === 'ipc') {
        w.atelier.on('runs.progress', (p) => w.seen.push(p))
        return
      }
      const source = new w.EventSource('/api/events')
      await new Promise<void>((resolve) => source.addEventListener('ready', () => resolve()))
      source.addEventListener('runs.progress', (m) => w.seen.push((JSON.parse(m.data) as { value: unknown }).value))
    }, wb.transport)
    await wb.page.getByTestId('start-run').click()
    await wb.page.waitForURL(/#\/runs\/\d+$/)
    const id = Number(/#\/runs\/(\d+)$/.exec(wb.page.url())?.[1])
    expect(id).toBeGreaterThan(0)

    // Live progress shows in the run view (speed from the trainer's progress events) …
    await wb.page.getByTestId('run-progress-panel').waitFor({ timeout: 120_000 })
    await expect.poll(() => wb.page.getByTestId('run-images-per-sec').textContent(), { timeout: 120_000 }).toMatch(/\d/)
    expect(await wb.page.getByTestId('run-recipe').textContent()).toContain('augment shift 2 px, erase 0.25')
    await screenshotBothThemes(wb.page, 'run-view-training')
    // … and in the Experiments table while the run trains.
    await wb.page.getByTestId('nav-experiments').click()
    const row = wb.page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)
    await row.getByTestId('run-progress').waitFor({ timeout: 120_000 })
    await screenshotBothThemes(wb.page, 'experiments-running')

    await row.locator('[data-testid="run-status"][data-status="completed"]').waitFor({ timeout: 300_000 })
    const seen = await wb.page.evaluate(() => (globalThis as unknown as { seen: { runId: number; batch: number }[] }).seen)
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((p) => p.runId === id)).toBe(true)

    const run = await api(wb.core, 'runs.get', { id })
    expect(run).toMatchObject({ name: 'e2e dense', preset: 'dense', status: 'completed', epochsDone: 12 })
    expect(run.hparams.trainSubset).toBe(2000)
    expect(run.hparams.recipe.augment).toEqual({ shift: 2, flip: false, erase: 0.25 })
    expect(await row.getByTestId('run-name').textContent()).toContain('e2e dense')
    expect(await row.textContent()).toContain(`${(run.testAccuracy! * 100).toFixed(2)}%`)
    await screenshotBothThemes(wb.page, 'experiments')
    expect(wb.pageErrors).toEqual([])
  })
})
