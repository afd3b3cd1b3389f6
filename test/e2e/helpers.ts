/** Shared steps of the end-to-end specs: screenshots in both themes, waiting on runs, file checks. */
import { mkdirSync, readFileSync } from 'node:fs'
import { expect } from 'vitest'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import type { Channel, RequestOf, ResponseOf } from '@shared/api'
import { defaultHparams, type Hparams } from '@shared/hparams'
import type { RunStatus, RunSummary } from '@shared/run'
import type { Core } from '@main/core/core'
import { ROOT } from './renderer-build'
import type { Workbench } from './harness'

export const SCREENSHOT_DIR = join(ROOT, 'artifacts', 'screenshots')

/** Calls the real core the way the page does, and unwraps the result (throws on an error result). */
export async function api<C extends Channel>(core: Core, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await core.route(channel, request)
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`)
  return result.data as ResponseOf<C>
}

/** Screenshots the page in the light and the dark theme (the app follows the system theme). */
export async function screenshotBothThemes(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const paths: string[] = []
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    // Charts redraw with the new theme on the next frames.
    await page.waitForTimeout(400)
    const path = join(SCREENSHOT_DIR, `${name}-${colorScheme}.png`)
    await page.screenshot({ path, fullPage: true })
    paths.push(path)
  }
  await page.emulateMedia({ colorScheme: 'light' })
  return paths
}

/** Waits until a run reaches one of `statuses`; fails with its last state on timeout. */
export async function waitForRun(core: Core, id: number, statuses: RunStatus[] = ['completed'], timeoutMs = 300_000): Promise<RunSummary> {
  const deadline = Date.now() + timeoutMs
  let last: RunSummary | undefined
  while (Date.now() < deadline) {
    last = await api(core, 'runs.get', { id })
    if (statuses.includes(last.status)) return last
    if (['failed', 'cancelled', 'interrupted'].includes(last.status)) break
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`run ${id} did not reach ${statuses.join('/')}: ${JSON.stringify(last)}`)
}

/** Small, quick hyperparameters: a few epochs on a stratified subset. */
export function quickHparams(overrides: Partial<Hparams> = {}): Hparams {
  return { ...defaultHparams('dense'), epochs: 2, trainSubset: 2000, ...overrides }
}

/** Trains a run through the core (not the UI) and waits for it to complete. */
export async function trainRun(core: Core, name: string, overrides: Partial<Hparams> = {}): Promise<RunSummary> {
  const run = await api(core, 'runs.start', { hparams: quickHparams(overrides), name })
  return waitForRun(core, run.id)
}

/** Width and height of a PNG after checking its signature, chunk CRC-free structure and pixel data size. */
export function decodePngSize(bytes: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error('not a PNG: bad signature')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 8
  let width = 0
  let height = 0
  let bitsPerPixel = 0
  const idat: Uint8Array[] = []
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset)
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8))
    const data = bytes.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8)
      height = view.getUint32(offset + 12)
      const channels: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }
      bitsPerPixel = (channels[data[9] ?? -1] ?? 0) * (data[8] ?? 0)
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    offset += 12 + length
  }
  if (width <= 0 || height <= 0 || bitsPerPixel <= 0) throw new Error(`bad PNG header: ${width}×${height}`)
  const pixels = inflateSync(Buffer.concat(idat))
  const expected = height * (1 + Math.ceil((width * bitsPerPixel) / 8))
  if (pixels.length !== expected) throw new Error(`PNG pixel data is ${pixels.length} bytes, expected ${expected}`)
  return { width, height }
}

/** Parses SVG text with the browser's XML parser; returns the root's name and size, or throws. */
export async function parseSvgInPage(page: Page, text: string): Promise<{ root: string; width: string | null; children: number }> {
  const parsed = await page.evaluate((svg) => {
    // Runs in the page; the node tsconfig has no DOM types, hence the narrow local ones.
    interface El {
      localName: string
      textContent: string | null
      getAttribute(name: string): string | null
      querySelectorAll(s: string): { length: number }
    }
    interface Doc {
      documentElement: El
      querySelector(s: string): El | null
    }
    const Parser = (globalThis as unknown as { DOMParser: new () => { parseFromString(t: string, m: string): Doc } }).DOMParser
    const doc = new Parser().parseFromString(svg, 'image/svg+xml')
    const error = doc.querySelector('parsererror')
    if (error) return { error: error.textContent ?? 'parse error' }
    const root = doc.documentElement
    return { root: root.localName, width: root.getAttribute('width'), children: root.querySelectorAll('*').length }
  }, text)
  if ('error' in parsed) throw new Error(`SVG does not parse: ${parsed.error}`)
  return parsed
}

/** Exports a chart's data through its CSV button and returns the parsed rows. */
export async function chartCsv(wb: Workbench, testid: string): Promise<string[][]> {
  const before = wb.saved.length
  await wb.page.getByTestId(testid).getByTestId('chart-export-csv').click()
  await expect.poll(() => wb.saved.length).toBe(before + 1)
  const path = wb.saved[before]!
  await expect
    .poll(() => {
      try {
        return readFileSync(path, 'utf8').length
      } catch {
        return 0
      }
    })
    .toBeGreaterThan(0)
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','))
}
