/**
 * A big database (filled through the db layer) in the browser: the Experiments table with 1,000 runs
 * keeps a small DOM and its filter answers, Compare with 10 runs × 50 epochs and with 10 groups of 3
 * runs × 50 epochs mounts every section. Timings are printed for the record but not asserted: on a
 * busy shared machine wall-clock time is noise. `npm run bench:ui` measures them properly (medians
 * over repeats, figures in the README).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchWorkbench, type Workbench } from './harness'
import { seedGroups, seedRuns } from './fixtures/seed-runs'
import { screenshotBothThemes } from './helpers'
import { COMPARE_SECTIONS } from './compare-mount'
import { backToExperiments, rendererCpuMs, timeCompareMount, timeExperiments } from './ui-timings'

let wb: Workbench
let dir: string
let ids: number[]
let groupIds: number[]
/** 1,000 single runs and 10 groups of 3. */
const GROUPS = { groups: 10, size: 3, epochs: 50 }
const TOTAL_RUNS = 1000 + GROUPS.groups * GROUPS.size

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-perf-'))
  const dbPath = join(dir, 'atelier.db')
  ids = await seedRuns({ dbPath, count: 1000, epochs: 50, withResults: 10 })
  groupIds = await seedGroups({ dbPath, ...GROUPS })
  wb = await launchWorkbench({ dbPath })
})

afterAll(async () => {
  await wb?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('performance', () => {
  it('Experiments with 1,000 runs and 10 groups keeps a small DOM and its filter finds one run', async () => {
    const { page, baseUrl } = wb
    const cold = await timeExperiments(page, () => page.goto(`${baseUrl}#/experiments`), TOTAL_RUNS)
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('settings-view').waitFor()
    const inApp = await timeExperiments(page, () => page.getByTestId('nav-experiments').click(), TOTAL_RUNS)
    const rows = await page.locator('[data-testid="run-row"]').count()
    console.log(
      `[perf] Experiments, ${TOTAL_RUNS} runs: page load → interactive ${cold.interactiveMs.toFixed(0)} ms; ` +
        `in-app navigation → interactive ${inApp.interactiveMs.toFixed(0)} ms; ${rows} rows in the DOM (npm run bench:ui measures properly)`
    )
    // Virtual scrolling keeps the DOM small whatever the run count.
    expect(rows).toBeLessThan(100)
    await screenshotBothThemes(page, 'experiments-1000')
  })

  it('Compare with 10 runs × 50 epochs mounts every section and draws the charts in view', async () => {
    const { page } = wb
    await backToExperiments(page)
    const mount = await timeCompareMount(page, `#/compare/${ids.slice(0, 10).join(',')}`)
    console.log(
      `[perf] Compare, 10 runs × 50 epochs: first chart ${mount.firstChartMs.toFixed(0)} ms, mounted ${mount.mountedMs.toFixed(0)} ms`
    )
    for (const section of COMPARE_SECTIONS) expect(await page.locator(`[data-testid="compare-view"] ${section}`).count()).toBe(1)
    expect(mount.drawnCharts).toBeGreaterThan(0)
    // Ten runs, ten legend entries, one line each on the loss chart (its CSV has a column per run).
    expect(await page.locator('[data-testid^="compare-entity-r"]').count()).toBe(10)
    await screenshotBothThemes(page, 'compare-10')
  })

  it('Compare with 10 groups of 3 runs × 50 epochs mounts every section, each time it is opened', async () => {
    const { page } = wb
    const hash = `#/compare/${groupIds.map((id) => `g${id}`).join(',')}`
    const times: string[] = []
    for (let i = 0; i < 2; i++) {
      await backToExperiments(page)
      const before = await rendererCpuMs(page)
      const mount = await timeCompareMount(page, hash)
      times.push(`mounted ${mount.mountedMs.toFixed(0)} ms (renderer CPU ${((await rendererCpuMs(page)) - before).toFixed(0)} ms)`)
      expect(mount.drawnCharts).toBeGreaterThan(0)
    }
    console.log(
      `[perf] Compare, ${GROUPS.groups} groups × ${GROUPS.size} runs × ${GROUPS.epochs} epochs: ${times.join('; ')}; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`
    )
    expect(await page.locator('[data-testid^="compare-entity-g"]').count()).toBe(GROUPS.groups)
    await page.getByTestId('compare-chart-val_accuracy').scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'compare-10-groups')
  })
})
