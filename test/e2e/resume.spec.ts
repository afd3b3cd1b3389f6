/**
 * Trained models in the UI: a cancelled run is resumed from the Experiments row menu, the run view
 * marks where it resumed and shows the model's size; Train more extends it; Settings shows the disk
 * used by models and drops checkpoints of completed runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '@shared/run'
import { launchWorkbench, type Workbench } from './harness'
import { api, quickHparams, screenshotBothThemes, waitForRun } from './helpers'

let wb: Workbench
let run: RunSummary

beforeAll(async () => {
  wb = await launchWorkbench()
  // A run cancelled once its first epoch (and checkpoint) is recorded.
  run = await api(wb.core, 'runs.start', { hparams: quickHparams({ epochs: 3, trainSubset: 2000 }), name: 'e2e resumed run' })
  await new Promise<void>((resolve) => {
    const off = wb.core.on('runs.epoch', (e) => {
      if (e.runId === run.id) {
        off()
        resolve()
      }
    })
  })
  await api(wb.core, 'runs.cancel', { id: run.id })
  run = await waitForRun(wb.core, run.id, ['cancelled'])
})

afterAll(async () => {
  await wb?.close()
})

describe('Resume and train more', () => {
  it('resumes a cancelled run from the Experiments row menu; the run view marks it and shows the model size', async () => {
    const { page } = wb
    expect(run.epochsDone).toBeGreaterThanOrEqual(1)
    await page.goto(`${wb.baseUrl}#/runs/${run.id}`)
    expect(await page.getByTestId('run-resume').textContent()).toContain(`Resume after epoch ${run.epochsDone}`)
    expect(await page.getByTestId('run-checkpoint-size').textContent()).toMatch(new RegExp(`epoch ${run.epochsDone} · `))
    expect(await page.getByTestId('run-model-size').textContent()).toContain('—')
    await screenshotBothThemes(page, 'run-view-cancelled')
    await page.goto(`${wb.baseUrl}#/experiments`)
    await page.locator(`[data-testid="run-row"][data-run-id="${run.id}"] [data-testid="row-actions"]`).click()
    await page.locator('.n-dropdown-option', { hasText: 'Resume' }).click()
    const done = await waitForRun(wb.core, run.id, ['completed'])
    expect(done.epochsDone).toBe(3)

    await page.goto(`${wb.baseUrl}#/runs/${run.id}`)
    await page.getByTestId('run-test-results').waitFor()
    expect(await page.getByTestId('run-resume-points').textContent()).toContain(`resumed after epoch ${run.epochsDone}`)
    const info = await api(wb.core, 'runs.modelInfo', { id: run.id })
    expect(info.modelEpoch).toBe(3)
    expect(await page.getByTestId('run-model-size').textContent()).toMatch(/epoch 3 · \d+(\.\d)? (KB|MB)/)
    expect(await page.getByTestId('run-checkpoint-size').textContent()).toMatch(/epoch 3 · /)
    await page.getByTestId('run-train-more').waitFor()
    expect(await page.getByTestId('run-resume').count()).toBe(0)
    await screenshotBothThemes(page, 'run-view-resumed')
    expect(wb.pageErrors).toEqual([])
  })

  it('trains a completed run further from the run view and evaluates it again', async () => {
    const { page } = wb
    const before = await api(wb.core, 'runs.get', { id: run.id })
    await page.getByTestId('run-train-more').click()
    const input = page.locator('[data-testid="train-more-epochs"] input')
    await input.fill('2')
    await input.blur()
    await page.getByTestId('confirm-train-more').click()
    const done = await waitForRun(wb.core, run.id, ['completed'])
    expect(done.epochsDone).toBe(5)
    const after = await api(wb.core, 'runs.get', { id: run.id })
    expect(after.resumePoints.at(-1)).toMatchObject({ kind: 'extended', afterEpoch: 3, previousTestAccuracy: before.metrics?.testAccuracy })
    expect(after.history.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5])
    await page.getByTestId('run-resume-points').filter({ hasText: 'trained further after epoch 3' }).waitFor()
    // The header's buttons follow the status as it changed under the open view (queued → running → completed).
    await page.getByTestId('run-train-more').waitFor()
    expect(await page.getByTestId('run-cancel').count()).toBe(0)
    expect(await page.getByTestId('run-rerun').count()).toBe(1)
    await screenshotBothThemes(page, 'run-view-extended')
  })

  it('Settings shows the disk used by models and drops checkpoints of completed runs, keeping the models', async () => {
    const { page } = wb
    await page.getByTestId('nav-settings').click()
    const storage = await api(wb.core, 'models.storage', {})
    expect(storage.checkpoint).toBeGreaterThan(0)
    await page.getByTestId('settings-models-total').filter({ hasText: /\d/ }).waitFor()
    await screenshotBothThemes(page, 'settings-models')
    await page.getByTestId('settings-drop-checkpoints').click()
    await page.getByTestId('settings-models-checkpoints').filter({ hasText: '0 B' }).waitFor()
    const after = await api(wb.core, 'models.storage', {})
    expect(after).toMatchObject({ checkpoint: 0, model: storage.model })
    expect(wb.pageErrors).toEqual([])
  })
})
