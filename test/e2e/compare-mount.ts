/**
 * Times the Compare view's mount inside the page, from the route change, for the performance spec
 * (and for profiling it). "Mounted" means: every section of Compare is in the DOM (the four curve
 * charts, the test-accuracy chart, the hyperparameter diff, the confusion matrix and the fixed/broken
 * galleries) and every chart panel that lies in the viewport has its canvas. The check runs at the
 * start of each animation frame, so the figure is the start of the first frame that paints all of it;
 * checking there rather than after every DOM change keeps the measuring from forcing layouts of its
 * own in the middle of what it measures (the frame lays the page out once anyway).
 */
import type { Page } from 'playwright-core'

export interface CompareMount {
  /** Route change → the start of the first frame that paints every section (see the module comment). */
  mountedMs: number
  /** Route change → the first chart canvas in the DOM. */
  firstChartMs: number
  /** Chart canvases present at the mount moment. */
  drawnCharts: number
}

export const COMPARE_SECTIONS = [
  '[data-testid="compare-chart-loss"]',
  '[data-testid="compare-chart-accuracy"]',
  '[data-testid="compare-chart-val_loss"]',
  '[data-testid="compare-chart-val_accuracy"]',
  '[data-testid="compare-chart-test-accuracy"]',
  '[data-testid="hparam-diff"]',
  '[data-testid="compare-confusion"]',
  '[data-testid="fixed-broken"]'
]

/** Sets `hash` (a Compare route) and resolves with its mount timing. */
export function timeCompareMount(page: Page, hash: string): Promise<CompareMount> {
  return page.evaluate(
    ({ hash, sections }) =>
      new Promise<CompareMount>((resolve) => {
        interface El {
          querySelector(s: string): El | null
          querySelectorAll(s: string): ArrayLike<El>
          getBoundingClientRect(): { top: number; bottom: number }
        }
        const g = globalThis as unknown as {
          location: { hash: string }
          innerHeight: number
          document: El & { body: unknown }
          MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void; disconnect(): void }
          requestAnimationFrame(cb: () => void): void
        }
        const CANVAS = '[data-testid="compare-view"] [data-testid="chart-canvas"] canvas'
        const t0 = performance.now()
        let first = -1
        const mounted = (): boolean => {
          const view = g.document.querySelector('[data-testid="compare-view"]')
          if (!view || !sections.every((s) => view.querySelector(s))) return false
          return Array.from(view.querySelectorAll('[data-testid="chart-canvas"]')).every((p) => {
            const r = p.getBoundingClientRect()
            const inView = r.bottom > 0 && r.top < g.innerHeight
            return !inView || p.querySelector('canvas') !== null
          })
        }
        // The first chart is noted as its canvas arrives (a cheap query, no layout).
        const observer = new g.MutationObserver(() => {
          if (first < 0 && g.document.querySelector(CANVAS)) first = performance.now() - t0
        })
        observer.observe(g.document.body, { childList: true, subtree: true })
        const frame = (): void => {
          if (!mounted()) return g.requestAnimationFrame(frame)
          observer.disconnect()
          const drawnCharts = g.document.querySelectorAll(CANVAS).length
          resolve({ mountedMs: performance.now() - t0, firstChartMs: first < 0 ? performance.now() - t0 : first, drawnCharts })
        }
        g.location.hash = hash
        g.requestAnimationFrame(frame)
      }),
    { hash, sections: COMPARE_SECTIONS }
  )
}
