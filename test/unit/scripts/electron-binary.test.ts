import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  downloadCause,
  downloadFailedParagraph,
  electronPackage,
  ensureElectronBinary,
  isElectronInstalled,
  type ElectronPackage
} from '../../../scripts/electron-binary'

const temps: string[] = []
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** An electron package folder whose install.js runs `installer` (plain Node code). */
function fakePackage(installer: string): ElectronPackage {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-electron-'))
  temps.push(dir)
  writeFileSync(join(dir, 'install.js'), installer)
  return { dir, version: '45.4.1' }
}

const INSTALLS = `
const fs = require('fs'), path = require('path')
fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true })
fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), '')
fs.writeFileSync(path.join(__dirname, 'dist', 'version'), 'v45.4.1')
fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron')
`

describe('the Electron binary before start', () => {
  it('reads this repository’s electron package', () => {
    const pkg = electronPackage(join(import.meta.dirname, '..', '..', '..'))
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('counts the binary as installed only with path.txt, the matching version and the executable', () => {
    const pkg = fakePackage('')
    expect(isElectronInstalled(pkg)).toBe(false)
    writeFileSync(join(pkg.dir, 'path.txt'), 'electron')
    mkdirSync(join(pkg.dir, 'dist'))
    writeFileSync(join(pkg.dir, 'dist', 'version'), 'v45.4.0')
    writeFileSync(join(pkg.dir, 'dist', 'electron'), '')
    expect(isElectronInstalled(pkg)).toBe(false)
    writeFileSync(join(pkg.dir, 'dist', 'version'), 'v45.4.1')
    expect(isElectronInstalled(pkg)).toBe(true)
  })

  it('runs the package’s own installer when the binary is missing, and not when it is there', async () => {
    const pkg = fakePackage(INSTALLS)
    const lines: string[] = []
    expect(await ensureElectronBinary(pkg, (l) => lines.push(l))).toEqual({ ok: true, downloaded: true })
    expect(lines[0]).toMatch(/Fetching the Electron 45\.4\.1 binary/)
    expect(await ensureElectronBinary(pkg, (l) => lines.push(l))).toEqual({ ok: true, downloaded: false })
  })

  it('reports the installer’s cause, without its stack, when the download fails', async () => {
    const pkg = fakePackage(`console.error(new Error('getaddrinfo ENOTFOUND github.com').stack); process.exit(1)`)
    const result = await ensureElectronBinary(pkg, () => undefined)
    expect(result).toEqual({ ok: false, cause: 'Error: getaddrinfo ENOTFOUND github.com' })
  })

  it('explains fetch failures and never says "Electron uninstall"', () => {
    const cause = downloadCause('TypeError: fetch failed\n    at node:internal/deps/undici:1:1\n')
    expect(cause).toBe('TypeError: fetch failed: no connection to the download server')
    const text = downloadFailedParagraph({ version: '45.4.1', cause, fallback: 'none' })
    expect(text).toMatch(/ELECTRON_MIRROR/)
    expect(text).toMatch(/HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1/)
    expect(text).toMatch(/npm run cli -- --help/)
    expect(text).not.toMatch(/uninstall/i)
    expect(downloadFailedParagraph({ version: '45.4.1', cause, fallback: 'browser' })).toMatch(/starts in your browser instead/)
  })
})
