/**
 * The browser test harness: the BUILT renderer in real Chromium over the REAL core running in this
 * (test) process: same core, same database code, real trainer processes (child_process.fork), real
 * dataset. By default the page talks to the core through the browser shell's own server (the
 * transport `npm run serve` ships: token cookie, HTTP frames, Server-Sent Events, downloads); with
 * `transport: 'ipc'` it gets a `window.atelier` bridged through Playwright that is as strict as
 * Electron's IPC (every value structured-cloned), standing in for the app's preload.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { EVENT_NAMES } from '@shared/api'
import { createCore, forkTrainer, type Core } from '@main/core/core'
import type { Dialogs } from '@main/core/core-options'
import { CODEC_SOURCE, codec } from './bridge-codec'
import { serveStatic } from './static-server'
import { startServer } from '../../src/main/server/start-server'
import { ensureRendererBuilt, RENDERER_OUT } from './renderer-build'
import { datasetDir } from './dataset-dir'

/** How to start a workbench. */
export interface WorkbenchOptions {
  /** Dataset folder; default ATELIER_DATA_DIR or ../shared/data/fashion-mnist beside the repo (then read-only, as with the env var). */
  dataDir?: string
  /** Database file; default a fresh one in a temporary folder. */
  dbPath?: string
  /** The browser's colour scheme; the app's theme stays `system`, so it follows (and can be switched live with page.emulateMedia). */
  theme?: 'light' | 'dark'
  viewport?: { width: number; height: number }
  /** Where save dialogs "choose" files; default a temporary folder. */
  saveDir?: string
  /** What the folder dialog answers (dataset import); default cancel. */
  openFolder?: string | null
  /** Show the browser window (needs a display). */
  headed?: boolean
  /** `server` (default, or ATELIER_E2E_TRANSPORT): the browser shell's real server; `ipc`: the Playwright bridge standing in for Electron's IPC. */
  transport?: 'server' | 'ipc'
}

/** A running workbench. */
export interface Workbench {
  page: Page
  core: Core
  /** Which transport the page uses. */
  transport: 'server' | 'ipc'
  /** Where the app is (with the server transport, the access cookie is already set for it). */
  baseUrl: string
  /** Where save dialogs and downloads write. */
  saveDir: string
  /** Paths written through save dialogs (ipc) or downloads (server), in order. */
  saved: string[]
  /** Console errors and uncaught page errors seen so far. */
  pageErrors: string[]
  /** Every API call: channel, when it arrived (ms since launch) and how long the core took. */
  calls: { channel: string; at: number; ms: number }[]
  close(): Promise<void>
}

const APP_VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version

export const CHROMIUM = process.env['ATELIER_CHROMIUM'] ?? '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

/** The page side: `window.atelier` with the same shape as the preload's, over the bindings. */
const PAGE_BRIDGE = `(() => {
${CODEC_SOURCE}
const listeners = new Map();
const events = new Set(${JSON.stringify(EVENT_NAMES)});
Object.defineProperty(window, '__atelierEmit', {
  value: (name, payload) => {
    const decoded = decode(payload);
    for (const listener of [...(listeners.get(name) || [])]) {
      try { listener(decoded) } catch (error) { console.error('listener for ' + name + ' failed', error) }
    }
  }
});
const api = {
  // As strict as Electron's IPC: a value structuredClone refuses (a Vue reactive Proxy, a function,
  // a class instance with private state) is refused here too, before anything is sent.
  invoke: (channel, request) => {
    let cloned;
    try { cloned = structuredClone(request) } catch (error) {
      // The preload's answer when ipcRenderer.invoke cannot clone the request.
      return Promise.resolve({ ok: false, error: { code: 'failed', message: 'The request could not reach the app: ' + error.message } });
    }
    return window.__atelierInvoke(channel, encode(cloned)).then(decode);
  },
  on: (event, listener) => {
    if (!events.has(event)) throw new TypeError('"' + event + '" is not an event of the Atelier API.');
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event).add(listener);
    return () => { listeners.get(event).delete(listener) };
  }
};
Object.defineProperty(window, 'atelier', { value: Object.freeze(api) });
})();`

function uniquePath(dir: string, name: string): string {
  const safe = name.replace(/[/\\]/g, '_')
  let path = join(dir, safe)
  for (let n = 2; existsSync(path); n++) path = join(dir, safe.replace(/(\.[^.]*)?$/, `-${n}$1`))
  return path
}

/** Starts the real core, the static server and Chromium, and opens the app. */
export async function launchWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  ensureRendererBuilt()
  const temp = mkdtempSync(join(tmpdir(), 'atelier-e2e-'))
  const saveDir = options.saveDir ?? join(temp, 'saved')
  mkdirSync(saveDir, { recursive: true })
  const saved: string[] = []
  const dialogs: Dialogs = {
    async saveFile({ suggestedName }) {
      const path = uniquePath(saveDir, suggestedName)
      saved.push(path)
      return path
    },
    openFolder: async () => options.openFolder ?? null
  }
  const core = await createCore({
    dataDir: options.dataDir ?? datasetDir(),
    // The shared dataset is fixed the way ATELIER_DATA_DIR fixes it in the app; a folder of the test's own is not.
    dataDirLocked: options.dataDir === undefined,
    dbPath: options.dbPath ?? join(temp, 'atelier.db'),
    settingsPath: join(temp, 'settings.json'),
    appVersion: APP_VERSION,
    spawnTrainer: forkTrainer,
    dialogs
  })

  const fromEnv = process.env['ATELIER_E2E_TRANSPORT']
  if (fromEnv !== undefined && fromEnv !== 'server' && fromEnv !== 'ipc')
    throw new Error(`ATELIER_E2E_TRANSPORT must be server or ipc, got "${fromEnv}"`)
  const transport = options.transport ?? fromEnv ?? 'server'
  const calls: Workbench['calls'] = []
  const launchedAt = performance.now()
  /** The core as the server sees it, recording each call like the bridge does. */
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>, channel: (...args: A) => string) =>
    async (...args: A): Promise<R> => {
      const t0 = performance.now()
      const result = await fn(...args)
      calls.push({ channel: channel(...args), at: t0 - launchedAt, ms: performance.now() - t0 })
      return result
    }
  const server =
    transport === 'server'
      ? await startServer({
          core: { ...core, route: timed(core.route, (c) => c), exportFile: timed(core.exportFile, (c) => c) },
          rendererDir: RENDERER_OUT
        })
      : null
  const statics = server ? null : await serveStatic(RENDERER_OUT)
  const baseUrl = server?.origin ?? statics!.baseUrl
  const stopServers = async (): Promise<void> => {
    await server?.close()
    await statics?.close()
  }
  let browser: Browser | null = null
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: !options.headed,
      args: CHROMIUM_ARGS
    })
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1440, height: 900 },
      colorScheme: options.theme ?? 'light',
      reducedMotion: 'reduce',
      acceptDownloads: true
    })
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`)
    })
    // With the server, exports are browser downloads: each is kept in saveDir, in the order they started.
    page.on('download', (download) => {
      const path = uniquePath(saveDir, download.suggestedFilename())
      saved.push(path)
      download.saveAs(path).catch((error: unknown) => pageErrors.push(`download ${path} failed: ${String(error)}`))
    })

    let unsubscribes: (() => void)[] = []
    if (transport === 'ipc') {
      await page.exposeBinding('__atelierInvoke', async (source, channel: unknown, request: unknown) => {
        // Mirrors main's sender check: only the app's own top-level page may call.
        if (source.frame !== page.mainFrame() || !source.frame.url().startsWith(baseUrl)) {
          return { ok: false, error: { code: 'invalid_request', message: 'request from an unknown sender' } }
        }
        const t0 = performance.now()
        // Responses cross the same structured clone Electron applies to every IPC value.
        const result = codec.encode(structuredClone(await core.route(String(channel), codec.decode(request))))
        calls.push({ channel: String(channel), at: t0 - launchedAt, ms: performance.now() - t0 })
        return result
      })
      await page.addInitScript({ content: PAGE_BRIDGE })

      // Events keep their order: each push waits for the previous one.
      let pushes = Promise.resolve()
      unsubscribes = EVENT_NAMES.map((name) =>
        core.on(name, (payload) => {
          const encoded = codec.encode(structuredClone(payload))
          pushes = pushes
            .then(() =>
              page.evaluate(
                ([n, p]) => (globalThis as unknown as { __atelierEmit: (n: unknown, p: unknown) => void }).__atelierEmit(n, p),
                [name, encoded] as const
              )
            )
            .catch(() => undefined)
        })
      )
    }

    // The server's printed address: the token is exchanged for the cookie and stripped from the address bar.
    await page.goto(server ? server.url : baseUrl)
    if (server) await page.waitForURL((url) => !url.search.includes('token'))
    const launched = browser
    return {
      page,
      core,
      transport,
      baseUrl,
      saveDir,
      saved,
      pageErrors,
      calls,
      async close() {
        for (const unsubscribe of unsubscribes) unsubscribe()
        await launched.close().catch(() => undefined)
        await stopServers()
        await core.shutdown({ cancelRunning: true })
        rmSync(temp, { recursive: true, force: true })
      }
    }
  } catch (error) {
    await browser?.close().catch(() => undefined)
    await stopServers()
    await core.shutdown({ cancelRunning: true })
    rmSync(temp, { recursive: true, force: true })
    throw error
  }
}
