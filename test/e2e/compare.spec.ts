/**
 * Comparing two finished runs: overlaid curves, the test-accuracy bar chart, the hyperparameter
 * diff, and the images one run fixed or broke relative to the other, all checked against the core.
 * It runs under both transports: the browser shell's server, and the IPC bridge that is as strict as
 * Electron (the Compare view once sent the router's reactive id list, which IPC cannot clone).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '@shared/run'
import { launchWorkbench, type Workbench } from './harness'
import { api, screenshotBothThemes, trainRun, chartCsv } from './helpers'

for (const transport of ['server', 'ipc'] as const) {
  describe(`Compare over ${transport}`, () => {
    let wb: Workbench
    let a: RunSummary
    let b: RunSummary

    beforeAll(async () => {
      wb = await launchWorkbench({ transport })
      a = await trainRun(wb.core, 'compare A', { learningRate: 0.001, batchSize: 64 })
      b = await trainRun(wb.core, 'compare B', { learningRate: 0.003, batchSize: 128 })
    })

    afterAll(async () => {
      await wb?.close()
    })

    describe('Compare', () => {
      it('compares two runs picked in Experiments', async () => {
        const { page } = wb
        await page.goto(`${wb.baseUrl}#/experiments`)
        for (const run of [a, b]) {
          await page.locator(`[data-testid="run-row"][data-run-id="${run.id}"] .n-checkbox`).click()
        }
        await page.getByTestId('compare-selected').click()
        await page.waitForURL(/#\/compare\/\d+,\d+$/)
        const ids = /#\/compare\/(\d+),(\d+)$/.exec(page.url())!.slice(1).map(Number)
        expect(ids.sort()).toEqual([a.id, b.id].sort())
        const view = page.getByTestId('compare-view')
        for (const metric of ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'test-accuracy']) {
          await view.locator(`[data-testid="compare-chart-${metric}"] [data-testid="chart-canvas"] canvas`).first().waitFor()
        }
        await page.getByTestId('fixed-broken').waitFor()
        await screenshotBothThemes(page, transport === 'server' ? 'compare' : 'compare-ipc')
        expect(wb.pageErrors).toEqual([])
      })

      it('overlays both runs’ curves with their recorded values', async () => {
        const details = await api(wb.core, 'runs.getMany', { ids: [a.id, b.id] })
        const rows = await chartCsv(wb, 'compare-chart-loss')
        const [header, ...data] = rows
        expect(header![0]).toBe('epoch')
        expect(header!.length).toBe(3)
        expect(data.map((r) => Number(r[0]))).toEqual([1, 2])
        // Each column is one run's loss per epoch, in the order of the header.
        for (const [col, name] of header!.slice(1).entries()) {
          const run = details.find((d) => name!.includes(d.name))!
          expect(run).toBeDefined()
          data.forEach((row, e) => expect(Number(row[col + 1])).toBeCloseTo(run.history[e]!.loss, 6))
        }
      })

      it('draws the test-accuracy bars from the stored metrics', async () => {
        const rows = await chartCsv(wb, 'compare-chart-test-accuracy')
        const byId = new Map(rows.slice(1).map((r) => [Number(r[0]), Number(r.at(-1))]))
        for (const run of [a, b]) expect(byId.get(run.id)).toBeCloseTo(run.testAccuracy!, 6)
      })

      it('lists exactly the hyperparameters that differ', async () => {
        const table = wb.page.getByTestId('hparam-diff-table')
        const paths = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))
        expect(paths.sort()).toEqual(['hparam-diff-batchSize', 'hparam-diff-learningRate'])
        expect(await table.getByTestId('hparam-diff-learningRate').textContent()).toMatch(/0\.001.*0\.003|0\.003.*0\.001/)
      })

      it('counts the images B fixed and broke relative to A', async () => {
        const { page } = wb
        const ids = /#\/compare\/(\d+),(\d+)$/.exec(page.url())!.slice(1).map(Number)
        const [testSet, pa, pb] = await Promise.all([
          api(wb.core, 'dataset.testSet', {}),
          api(wb.core, 'runs.predictions', { id: ids[0]! }),
          api(wb.core, 'runs.predictions', { id: ids[1]! })
        ])
        let fixed = 0
        let broken = 0
        testSet.labels.forEach((label, i) => {
          const okA = pa!.predicted[i] === label
          const okB = pb!.predicted[i] === label
          if (okB && !okA) fixed++
          if (okA && !okB) broken++
        })
        const tabs = await page.getByTestId('fixed-broken').locator('.n-tabs-tab').allTextContents()
        expect(tabs.join(' | ')).toContain(`B right, A wrong (${fixed})`)
        expect(tabs.join(' | ')).toContain(`A right, B wrong (${broken})`)
      })
    })
  })
}
