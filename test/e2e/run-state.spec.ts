/**
 * Run state a person can trust: phases before the first batch, the estimate beside Start, the header's
 * "N training · M queued", and runs another process (the CLI) writes into the same database.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { openRunStore } from '@main/core/store'
import { launchWorkbench, type Workbench } from './harness'
import { screenshotBothThemes } from './helpers'

let wb: Workbench
let dir: string
let dbPath: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-e2e-state-'))
  dbPath = join(dir, 'atelier.db')
  wb = await launchWorkbench({ dbPath })
  await wb.page.getByTestId('experiments-view').waitFor()
})

afterAll(async () => {
  await wb?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function setNumber(testid: string, value: string): Promise<void> {
  const input = wb.page.getByTestId(testid).locator('input')
  await input.fill(value)
  await input.blur()
}

async function openDenseForm(): Promise<void> {
  await wb.page.getByTestId('nav-new').click()
  await wb.page.getByTestId('new-run-view').waitFor()
  await wb.page.getByTestId('preset-dense').click()
  await setNumber('hp-epochs', '2')
  // New run opens with the last run's settings: the subset may be switched on already.
  if ((await wb.page.getByTestId('hp-trainSubset').count()) === 0) await wb.page.getByTestId('hp-trainSubset-enabled').click()
  await setNumber('hp-trainSubset', '1000')
}

describe('run state', () => {
  it('estimates from past runs, names the phases, and counts training runs in the header', async () => {
    await openDenseForm()
    // The form's own estimate (the proven recipes and the seed presets have theirs).
    const estimate = wb.page.getByTestId('hparams-card').getByTestId('run-estimate')
    await expect.poll(() => estimate.textContent()).toMatch(/no estimate yet \(no Dense run has finished on this machine\)/)

    await wb.page.getByTestId('start-run').click()
    await wb.page.waitForURL(/#\/runs\/\d+$/)
    // Before the first batch the panel says what happens instead of "backend pending".
    const phase = wb.page.getByTestId('run-phase')
    await expect
      .poll(() => phase.textContent(), { timeout: 120_000 })
      .toMatch(/^(Waiting in the queue|Starting the trainer…|Loading the dataset…|Training|Evaluating the test set…)$/)
    await expect
      .poll(() => wb.page.getByTestId('activity-indicator').textContent(), { timeout: 60_000 })
      .toMatch(/^\s*1 training · 0 queued$/)
    await screenshotBothThemes(wb.page, 'run-state-phase')
    await wb.page.locator('[data-testid="run-status-tag"]', { hasText: 'completed' }).waitFor({ timeout: 300_000 })
    await wb.page.getByTestId('activity-indicator').waitFor({ state: 'hidden' })

    // One completed Dense run here: the form now has an estimate, the other presets still none.
    await openDenseForm()
    await expect.poll(() => estimate.textContent(), { timeout: 10_000 }).toMatch(/^about \d+s of training on this machine$/)
    expect(await wb.page.getByTestId('seed-presets-card').getByTestId('run-estimate').textContent()).toMatch(
      /^about .+ for Dense; no estimate yet for Shallow CNN, Deep CNN/
    )
    await screenshotBothThemes(wb.page, 'run-state-estimate')
    expect(wb.pageErrors).toEqual([])
  })

  it('shows a run the CLI queues and trains in the same database, without a reload', async () => {
    await wb.page.getByTestId('nav-experiments').click()
    const cli = await openRunStore(dbPath)
    try {
      const run = await cli.runs.insert({ name: 'from the CLI', hparams: { ...defaultHparams('dense'), epochs: 2 }, appVersion: 'cli' })
      const row = wb.page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`)
      await row.locator('[data-testid="run-status"][data-status="queued"]').waitFor({ timeout: 10_000 })
      // The CLI's process (this test's parent, alive) trains it and records an epoch.
      await cli.runs.markRunning(run.id, {
        backendInfo: { name: 'wasm', threads: 1, versions: {} },
        datasetChecksum: null,
        startedAt: new Date().toISOString(),
        ownerPid: process.ppid
      })
      await cli.epochs.append(run.id, {
        epoch: 1,
        loss: 0.6,
        accuracy: 0.78,
        valLoss: 0.62,
        valAccuracy: 0.77,
        learningRate: 0.001,
        durationMs: 4200
      })
      await row.locator('[data-testid="run-status"][data-status="running"]').waitFor({ timeout: 10_000 })
      expect(await row.getByTestId('run-status-note').textContent()).toBe('in another process')
      expect(await row.textContent()).toContain('1/2')
      await expect.poll(() => wb.page.getByTestId('activity-indicator').textContent()).toMatch(/1 training · 0 queued/)
      await screenshotBothThemes(wb.page, 'run-state-other-process')
      await cli.runs.finish(run.id, { status: 'cancelled', finishedAt: new Date().toISOString() })
      await row.locator('[data-testid="run-status"][data-status="cancelled"]').waitFor({ timeout: 10_000 })
    } finally {
      await cli.close()
    }
    expect(wb.pageErrors).toEqual([])
  })
})
