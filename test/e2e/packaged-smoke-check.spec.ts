/**
 * The packaged smoke check’s renderer side (scripts/smoke-check.ts), run in the built renderer in Chromium
 * over the real core: the same `window.atelier` calls the packaged app's check makes — a dense run trained
 * to completion by a real trainer process on the real dataset, then Try it's `models.predict`. (The
 * packaged app itself needs the Electron binary: the workflow's `packaged-smoke` job runs it there.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { smokeInput } from '../../scripts/packaged-smoke'
import { judgeSmoke, smokeInPage } from '../../scripts/smoke-check'
import { launchWorkbench, type Workbench } from './harness'

describe('the packaged smoke check, in the browser shell', () => {
  let wb: Workbench

  beforeAll(async () => {
    // The ipc transport: a `window.atelier` standing in for the preload's, as strict as Electron's IPC.
    wb = await launchWorkbench({ transport: 'ipc' })
  })

  afterAll(async () => {
    await wb?.close()
  })

  it('trains a small dense run to completion and Try it predicts one of the ten classes', async () => {
    const result = await wb.page.evaluate(smokeInPage, smokeInput())
    expect(judgeSmoke(result, { epochs: 1, minTestAccuracy: 0.5 })).toEqual([])
    expect(result.backend).toMatch(/wasm|tensorflow|cpu/)
    expect(result.predicted).toBeGreaterThanOrEqual(0)
    expect(wb.pageErrors).toEqual([])
  })
})
