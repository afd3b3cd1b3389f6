/**
 * The Electron binary, fetched before the app starts. Electron 45 has no postinstall step: its package
 * downloads the binary lazily, through its own `install-electron` bin, while electron-vite only reads
 * `node_modules/electron/path.txt` and says "Electron uninstall" when it is missing. `npm start`, `npm run
 * dev` and `npm run dist` therefore run the package's installer first (it returns at once when the binary
 * is there) and, when the download fails, say why in words a person can act on.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** Where the electron package lives and what it expects to find. */
export interface ElectronPackage {
  dir: string
  version: string
}

export function electronPackage(from: string = process.cwd()): ElectronPackage {
  const require = createRequire(join(from, 'package.json'))
  const pkgJson = require.resolve('electron/package.json')
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }
  return { dir: dirname(pkgJson), version }
}

/** True when the binary of this electron package is downloaded and unpacked (what electron-vite reads). */
export function isElectronInstalled(pkg: ElectronPackage): boolean {
  // electron-vite runs the executable named by ELECTRON_EXEC_PATH instead of the package's own.
  const given = process.env['ELECTRON_EXEC_PATH']
  if (given) return existsSync(given)
  try {
    const pathTxt = readFileSync(join(pkg.dir, 'path.txt'), 'utf8').trim()
    const version = readFileSync(join(pkg.dir, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '')
    const executable = process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(pkg.dir, 'dist', pathTxt)
    return version === pkg.version && pathTxt.length > 0 && existsSync(executable)
  } catch {
    return false
  }
}

/** The last meaningful line of the installer's error output: the cause, without its stack. */
export function downloadCause(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/^node:internal|^\^+$/.test(l))
  const error = lines.find((l) => /Error|failed|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|404|checksum/i.test(l))
  const cause = (error ?? lines.at(-1) ?? 'the installer exited without saying why').slice(0, 300)
  // Node's fetch hides the network error in `cause`, which the installer does not print.
  return /fetch failed$/.test(cause) ? `${cause}: no connection to the download server` : cause
}

/** The paragraph a person sees when the binary cannot be had: cause, fix, and what works without it. */
export function downloadFailedParagraph(options: { version: string; cause: string; fallback: 'browser' | 'none' }): string {
  const { version, cause, fallback } = options
  const next =
    fallback === 'browser'
      ? 'Meanwhile Atelier starts in your browser instead: the same workbench, served on this machine only.'
      : 'Meanwhile everything works without the desktop window: `npm run serve` opens the workbench in your browser, ' +
        'and `npm run cli -- --help` trains, lists and exports runs in the terminal.'
  return [
    `Atelier could not start its desktop window: the Electron ${version} binary is not installed and could not be downloaded (${cause}).`,
    'To fix it, let the download through: behind a proxy, set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1; where GitHub is',
    'blocked, set ELECTRON_MIRROR to a mirror of the Electron releases that your network allows; or point',
    `ELECTRON_EXEC_PATH at an Electron ${version} executable you already have. Then run the same command again.`,
    next
  ].join('\n')
}

/** Outcome of making sure the binary is there. */
export type EnsureResult = { ok: true; downloaded: boolean } | { ok: false; cause: string }

/** Runs the electron package's own installer when the binary is missing, with its progress visible. */
export async function ensureElectronBinary(pkg: ElectronPackage, log: (line: string) => void = console.log): Promise<EnsureResult> {
  if (isElectronInstalled(pkg)) return { ok: true, downloaded: false }
  log(`Fetching the Electron ${pkg.version} binary for ${process.platform}-${process.arch} (once; about 100 MB)…`)
  const stderr = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn(process.execPath, [join(pkg.dir, 'install.js')], {
      cwd: pkg.dir,
      stdio: ['ignore', 'inherit', 'pipe']
    })
    let text = ''
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      // The downloader draws its progress bar on stderr: keep it visible.
      process.stderr.write(chunk)
    })
    child.on('error', (error) => resolve({ code: 1, text: String(error) }))
    child.on('close', (code) => resolve({ code, text }))
  })
  if (stderr.code === 0 && isElectronInstalled(pkg)) {
    log(`Electron ${pkg.version} is installed.`)
    return { ok: true, downloaded: true }
  }
  return { ok: false, cause: downloadCause(stderr.text) }
}
