/**
 * How long the workbench's big views take, measured in the page: written once for the performance
 * spec (which prints the figures and asserts only what is stable) and `npm run bench:ui` (which
 * repeats them and prints medians). No test framework here, so the benchmark can use it too.
 */
import type { Page } from 'playwright-core'
import { timeCompareMount, type CompareMount } from './compare-mount'

export { timeCompareMount, type CompareMount }

/** Time from `navigate()` until the Experiments table shows rows, and until its filter answers typing (`#777` → 1 of `totalRuns`). */
export async function timeExperiments(
  page: Page,
  navigate: () => Promise<unknown>,
  totalRuns: number
): Promise<{ rowsMs: number; interactiveMs: number }> {
  const t0 = performance.now()
  await navigate()
  await page.locator('[data-testid="run-row"]').first().waitFor()
  const rowsMs = performance.now() - t0
  await page.getByTestId('runs-filter-text').locator('input').fill('#777')
  await page.waitForFunction(
    (expected) => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document
      return (doc.querySelector('[data-testid="runs-count"]')?.textContent ?? '').startsWith(expected)
    },
    `1 of ${totalRuns}`,
    { polling: 10 }
  )
  const interactiveMs = performance.now() - t0
  await page.getByTestId('runs-filter-text').locator('input').fill('')
  return { rowsMs, interactiveMs }
}

/**
 * CPU time the page's renderer processes have used so far, from Chromium's own process table: unlike
 * wall-clock time it hardly depends on how busy the machine is, so it is printed beside the timings.
 */
export async function rendererCpuMs(page: Page): Promise<number> {
  const browser = page.context().browser()
  if (!browser) return Number.NaN
  const cdp = await browser.newBrowserCDPSession()
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] }
    return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime * 1000, 0)
  } finally {
    await cdp.detach()
  }
}

/** Leaves Compare for Experiments and lets the page settle, so each timed visit starts the same way. */
export async function backToExperiments(page: Page): Promise<void> {
  await page.getByTestId('nav-experiments').click()
  await page.getByTestId('experiments-view').waitFor()
  await page.waitForTimeout(300)
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
