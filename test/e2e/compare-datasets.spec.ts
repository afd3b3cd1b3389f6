/**
 * Compare across datasets: curves overlaid with a caption saying the runs trained on different datasets,
 * and every paired view (McNemar, the confusion difference, the fixed/broke galleries) replaced by the
 * sentence saying why; two runs on the same files still get the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '@shared/run'
import { OFFICIAL_DATASET_CHECKSUM } from '@shared/dataset-checksum'
import { storeFinishedRun } from '../helpers/stored-runs'
import { launchWorkbench, type Workbench } from './harness'
import { screenshotBothThemes } from './helpers'

let wb: Workbench
let fashion: RunSummary
let digits: RunSummary

beforeAll(async () => {
  wb = await launchWorkbench()
  const { labels } = await wb.core.dataset.testSet()
  fashion = await storeFinishedRun(wb.core, {
    name: 'fashion dense',
    labels,
    right: (i) => i % 10 < 8,
    datasetChecksum: OFFICIAL_DATASET_CHECKSUM
  })
  // Labels of the same length stand in for MNIST's test set: nothing here may pair them with Fashion-MNIST's.
  digits = await storeFinishedRun(wb.core, {
    name: 'digits dense',
    labels,
    right: (i) => i % 50 !== 0,
    dataset: 'mnist',
    datasetChecksum: 'd'.repeat(64)
  })
})

afterAll(async () => {
  await wb?.close()
})

describe('Compare across datasets', () => {
  it('overlays the curves with a caption, and says why nothing paired is shown', async () => {
    const { page } = wb
    await page.goto(`${wb.baseUrl}#/compare/${fashion.id},${digits.id}`)
    const caption = page.getByTestId('compare-dataset-caption')
    await caption.waitFor({ timeout: 60_000 })
    expect(await caption.textContent()).toContain(
      `These runs trained on different datasets: Fashion-MNIST (#${fashion.id} fashion dense); MNIST (#${digits.id} digits dense).`
    )
    const sentence = page.getByTestId('significance-sentence')
    await sentence.waitFor({ timeout: 60_000 })
    expect(await sentence.textContent()).toBe(
      `#${fashion.id} fashion dense trained on Fashion-MNIST, #${digits.id} digits dense on MNIST: their test sets differ, ` +
        'so no paired test is possible; accuracies are shown side by side.'
    )
    expect(await page.getByTestId('significance-A').textContent()).toContain('80.00%')
    expect(await page.getByTestId('significance-B').textContent()).toContain('98.00%')
    expect(await page.getByTestId('significance-counts').count()).toBe(0)
    expect(await page.getByTestId('compare-diff-refused').textContent()).toContain('cannot be subtracted cell by cell')
    await page.getByTestId('fixed-broken-refused').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('hparam-diff-dataset').textContent()).toContain('mnist')
    await screenshotBothThemes(page, 'compare-datasets')
  })
})
