/**
 * poppler's `pdftotext` and `pdftoppm`, which the PDF report tests use to read reports back. Where they
 * are missing those tests skip with the reason printed; in CI on Linux and macOS (where the workflow
 * installs poppler) a missing tool throws instead, so they never skip silently there. The Windows runner
 * has no poppler package the workflow can rely on, so there they skip, saying so.
 */
import { spawnSync } from 'node:child_process'

const TOOLS = ['pdftotext', 'pdftoppm'] as const

/** True when `tool` can be started from PATH (poppler's tools print their version with `-v`). */
export function onPath(tool: string): boolean {
  const result = spawnSync(tool, ['-v'], { stdio: 'ignore', timeout: 10_000 })
  return !(result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT')
}

export function pdfTools(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform
): { ok: boolean; reason: string } {
  const missing = TOOLS.filter((tool) => !onPath(tool))
  if (missing.length === 0) return { ok: true, reason: '' }
  const reason =
    `${missing.join(' and ')} not found on PATH: the PDF report tests read reports back with poppler ` +
    '(Debian/Ubuntu: apt-get install poppler-utils; macOS: brew install poppler; Windows: add poppler’s bin folder to PATH)'
  if (env['CI'] === 'true' && platform !== 'win32') throw new Error(`${reason} — CI installs poppler on Linux and macOS`)
  console.warn(`SKIPPED PDF read-back tests: ${reason}`)
  return { ok: false, reason: ` — SKIPPED: ${reason}` }
}
