/**
 * Builds the renderer with electron-vite when out/renderer is missing or older than its sources. The
 * browser shell (`npm run serve`) and the end-to-end specs both serve out/renderer.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The repository (this file is src/main/server/renderer-build.ts). */
export const ROOT = join(import.meta.dirname, '..', '..', '..')
export const RENDERER_OUT = join(ROOT, 'out', 'renderer')

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/**
 * `electron-vite build` as `[node, <the bin .js of electron-vite>, build]`. Not `node_modules/.bin/electron-vite`:
 * on Windows that is a `.cmd` shim, which Node refuses to spawn without a shell (CVE-2024-27980).
 */
export function electronViteBuildCommand(root: string = ROOT): string[] {
  const manifest = createRequire(join(root, 'package.json')).resolve('electron-vite/package.json')
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }
  return [process.execPath, join(dirname(manifest), bin['electron-vite']!), 'build']
}

let checked = false

/** Ensures out/renderer is current; throws with the build output when the build fails. `onBuild` hears when a build starts. */
export function ensureRendererBuilt(options: { onBuild?: () => void } = {}): void {
  if (checked) return
  const index = join(RENDERER_OUT, 'index.html')
  const sources = ['src/renderer', 'src/shared', 'electron.vite.config.ts'].map((p) => join(ROOT, p))
  const stale = !existsSync(index) || Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs
  if (stale) {
    options.onBuild?.()
    const [node, ...args] = electronViteBuildCommand() as [string, ...string[]]
    const result = spawnSync(node, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000 })
    if (result.status !== 0) {
      throw new Error(`electron-vite build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`)
    }
  }
  checked = true
}
