/**
 * Without the dataset the history stays in view: Experiments, run pages and their warnings show with a
 * banner, only New run asks for the files, and a mistyped folder in Settings is refused with the
 * working one kept. New run warns about settings that cannot train well.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { EpochRecord } from '@shared/run'
import { launchWorkbench, type Workbench } from './harness'
import { api, screenshotBothThemes } from './helpers'
import { storeFinishedRun } from '../helpers/stored-runs'

const open: Workbench[] = []
const temps: string[] = []
afterAll(async () => {
  for (const wb of open) await wb.close()
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})

async function setNumber(wb: Workbench, testid: string, value: string): Promise<void> {
  const input = wb.page.getByTestId(testid).locator('input')
  await input.fill(value)
  await input.blur()
}

describe('dataset missing, settings and warnings', () => {
  it('keeps past runs in view without the dataset, marks the run that diverged, and refuses a mistyped folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atelier-no-data-'))
    temps.push(dataDir)
    const wb = await launchWorkbench({ dataDir })
    open.push(wb)
    const { page } = wb
    const labels = Array.from({ length: 10_000 }, (_, i) => i % 10)
    await storeFinishedRun(wb.core, { name: 'healthy dense', labels, right: (i) => i % 7 !== 0 })
    const rising: EpochRecord[] = [2, 9, 14.5].map((loss, i) => ({
      epoch: i + 1,
      loss,
      accuracy: 0.1,
      valLoss: loss,
      valAccuracy: 0.1,
      learningRate: 1,
      durationMs: 900
    }))
    const nonsense = await storeFinishedRun(wb.core, {
      name: 'lr 1 batch 4096',
      labels,
      right: () => false,
      history: rising,
      learningRate: 1
    })
    await page.reload()

    // The history is there, with a banner instead of the dataset screen.
    await page.getByTestId('experiments-view').waitFor()
    await page.getByTestId('dataset-banner').waitFor()
    expect(await page.getByTestId('dataset-screen').count()).toBe(0)
    await page.getByTestId('run-diagnosis-badge-diverged').waitFor()
    expect(await page.getByTestId('run-diagnosis-badge-diverged').count()).toBe(1)
    await page.getByTestId('run-diagnosis-badge-diverged').hover()
    await page.getByText('The training loss rose from 2.00 in epoch 1 to 14.50 in epoch 3').waitFor()
    await screenshotBothThemes(page, 'experiments-without-dataset')
    await page.mouse.move(5, 600)
    await page.getByText('The training loss rose from 2.00 in epoch 1 to 14.50 in epoch 3').waitFor({ state: 'hidden' })
    await page.setViewportSize({ width: 900, height: 700 })
    await screenshotBothThemes(page, 'experiments-without-dataset-900')
    await page.setViewportSize({ width: 1440, height: 900 })

    // The run page says what went wrong; its galleries say why they are missing.
    await page.goto(`${wb.baseUrl}#/runs/${nonsense.id}`)
    await page.getByTestId('run-diagnosis-diverged').waitFor()
    expect(await page.getByTestId('run-diagnosis-chance').textContent()).toContain('chance level for 10 classes')
    await page.getByTestId('dataset-unavailable').waitFor()
    await screenshotBothThemes(page, 'run-diagnosis-without-dataset')

    // Only New run needs the files.
    await page.getByTestId('nav-new').click()
    await page.getByTestId('dataset-screen').waitFor()

    // A typo in Settings is refused beside the field; the folder in use stays.
    await page.getByTestId('nav-settings').click()
    const input = page.getByTestId('settings-data-dir').locator('input')
    await input.fill(`${dataDir}-typo`)
    await page.getByTestId('settings-data-dir-save').click()
    await page.getByTestId('settings-data-dir-error').waitFor()
    expect(await page.getByTestId('settings-data-dir-error').textContent()).toContain(`The folder ${dataDir}-typo does not exist`)
    expect((await api(wb.core, 'settings.get', {})).dataDir).toBe(dataDir)
    await screenshotBothThemes(page, 'settings-dataset-typo')
    await page.getByTestId('settings-data-dir-keep').click()
    expect(await input.inputValue()).toBe(dataDir)
    expect(wb.pageErrors).toEqual([])
  })

  it('warns in New run about a batch larger than the training set and a learning rate of 1', async () => {
    const wb = await launchWorkbench()
    open.push(wb)
    const { page } = wb
    await page.getByTestId('nav-new').click()
    await page.getByTestId('new-run-view').waitFor()
    await page.getByTestId('hp-trainSubset-enabled').click()
    await setNumber(wb, 'hp-trainSubset', '100')
    await setNumber(wb, 'hp-batchSize', '4096')
    await setNumber(wb, 'hp-learningRate', '1')
    const warnings = page.getByTestId('hparam-warnings')
    await warnings.waitFor()
    expect(await warnings.textContent()).toContain('Batch size 4096 is larger than the 90 training images')
    expect(await page.getByTestId('start-run').isDisabled()).toBe(false)
    await screenshotBothThemes(page, 'new-run-warnings')
    expect(wb.pageErrors).toEqual([])
  })
})
