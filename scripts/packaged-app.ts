/**
 * Starting the packaged app (electron-builder's unpacked output in dist/) and reaching its renderer over
 * the Chrome DevTools Protocol. Playwright's Electron driver cannot be used on the packaged app: it starts
 * Electron with `--inspect`, which the `enableNodeCliInspectArguments: false` fuse refuses. Chromium's own
 * `--remote-debugging-port` is not a Node option, so the fuse leaves it alone.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { smokeInPage, type SmokeInput, type SmokeResult } from './smoke-check'

const PRODUCT = 'Atelier'
/** electron-builder names the Linux executable after package.json's `name`. */
const LINUX_EXECUTABLE = 'atelier'

/** Where electron-builder puts the unpacked app for this platform and architecture, most specific first. */
export function packagedCandidates(dist: string, platform: NodeJS.Platform, arch: string): string[] {
  const suffix = arch === 'x64' ? '' : `-${arch}`
  switch (platform) {
    case 'linux':
      return [join(dist, `linux${suffix}-unpacked`, LINUX_EXECUTABLE)]
    case 'win32':
      return [join(dist, `win${suffix}-unpacked`, `${PRODUCT}.exe`)]
    case 'darwin':
      return [`mac${suffix}`, 'mac-universal'].map((dir) => join(dist, dir, `${PRODUCT}.app`, 'Contents', 'MacOS', PRODUCT))
    default:
      return []
  }
}

/** The packaged app's executable; throws naming what dist/ holds and how to build it. */
export function packagedExecutable(dist: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const candidates = packagedCandidates(dist, platform, arch)
  const found = candidates.find((path) => existsSync(path))
  if (found) return found
  const holds = existsSync(dist) ? readdirSync(dist).join(', ') || 'nothing' : 'nothing (it does not exist)'
  throw new Error(
    `No packaged Atelier for ${platform}-${arch}: looked for ${candidates.join(' or ') || 'a known layout'}; ${dist} holds ${holds}. ` +
      'Build it first with `npm run dist -- --dir`.'
  )
}

/** The browser endpoint Chromium prints on stderr once `--remote-debugging-port` listens, or null. */
export function devtoolsEndpoint(stderr: string): string | null {
  return /DevTools listening on (ws:\/\/\S+)/.exec(stderr)?.[1] ?? null
}

/** The endpoint from a `DevToolsActivePort` file (port, then the browser target's path), or null. */
export function activePortEndpoint(fileText: string): string | null {
  const [port, path] = fileText.split(/\r?\n/)
  return port && /^\d+$/.test(port.trim()) && path?.startsWith('/') ? `ws://127.0.0.1:${port.trim()}${path.trim()}` : null
}

/** A started app or browser and its DevTools endpoint. */
export interface Started {
  child: ChildProcess
  endpoint: string
  /** Everything it printed, for the failure report. */
  output(): string
  stop(): Promise<void>
}

/**
 * Starts `executable` with `--remote-debugging-port=0` and resolves once its DevTools endpoint is known:
 * from stderr, or from `DevToolsActivePort` in `userDataDir` (where Chromium also writes it).
 */
export function startWithDevtools(options: {
  executable: string
  args?: string[]
  env?: NodeJS.ProcessEnv
  userDataDir?: string
  timeoutMs?: number
}): Promise<Started> {
  const { executable, args = [], env = process.env, userDataDir, timeoutMs = 60_000 } = options
  const child = spawn(executable, ['--remote-debugging-port=0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()))
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill()
    const late = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(late)
  }
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const fail = (why: string): void => {
      clearInterval(timer)
      void stop().then(() => reject(new Error(`${why}\n--- its output ---\n${text.slice(-4000)}`)))
    }
    child.once('error', (error) => fail(`${executable} could not start: ${error.message}`))
    child.once('exit', (code, signal) => fail(`${executable} exited (${signal ?? `code ${code}`}) before its DevTools endpoint was known`))
    const timer = setInterval(() => {
      const fromFile =
        userDataDir && existsSync(join(userDataDir, 'DevToolsActivePort'))
          ? activePortEndpoint(readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8'))
          : null
      const endpoint = devtoolsEndpoint(text) ?? fromFile
      if (endpoint) {
        clearInterval(timer)
        child.removeAllListeners('exit')
        child.removeAllListeners('error')
        resolve({ child, endpoint, output: () => text, stop })
      } else if (Date.now() - started > timeoutMs) {
        fail(`no DevTools endpoint within ${timeoutMs / 1000} s`)
      }
    }, 200)
  })
}

/** The first page whose URL matches, waiting for it to appear. */
async function findPage(browser: Browser, url: RegExp, timeoutMs: number): Promise<Page> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const page = browser
      .contexts()
      .flatMap((c) => c.pages())
      .find((p) => url.test(p.url()))
    if (page) return page
    if (Date.now() > deadline) {
      const seen = browser
        .contexts()
        .flatMap((c) => c.pages())
        .map((p) => p.url())
      throw new Error(`no page at ${url} within ${timeoutMs / 1000} s (pages: ${seen.join(', ') || 'none'})`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** Connects to `endpoint`, finds the page at `pageUrl`, and runs the smoke check in it. */
export async function smokeOverCdp(
  endpoint: string,
  options: { pageUrl: RegExp; input: SmokeInput; pageTimeoutMs?: number }
): Promise<SmokeResult> {
  const browser = await chromium.connectOverCDP(endpoint)
  try {
    const page = await findPage(browser, options.pageUrl, options.pageTimeoutMs ?? 60_000)
    await page.waitForFunction(() => 'atelier' in globalThis, undefined, { timeout: 60_000 })
    // Scripts run through tsx keep function names with esbuild's `__name` helper, which the page lacks.
    await page.evaluate('globalThis.__name ??= (f) => f')
    return await page.evaluate(smokeInPage, options.input)
  } finally {
    await browser.close().catch(() => undefined)
  }
}
