/**
 * Builds the renderer with electron-vite when out/renderer is missing or older than its sources. The
 * browser shell (`npm run serve`) and the end-to-end specs both serve out/renderer.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

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

let checked = false

/** Ensures out/renderer is current; throws with the build output when the build fails. `onBuild` hears when a build starts. */
export function ensureRendererBuilt(options: { onBuild?: () => void } = {}): void {
  if (checked) return
  const index = join(RENDERER_OUT, 'index.html')
  const sources = ['src/renderer', 'src/shared', 'electron.vite.config.ts'].map((p) => join(ROOT, p))
  const stale = !existsSync(index) || Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs
  if (stale) {
    options.onBuild?.()
    const bin = join(ROOT, 'node_modules', '.bin', 'electron-vite')
    const result = spawnSync(bin, ['build'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 })
    if (result.status !== 0) {
      throw new Error(`electron-vite build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`)
    }
  }
  checked = true
}
