/**
 * The Electron project's set-up: where the binary is absent it says so in one line (the specs then
 * report as skipped, never as passed); where it is present it builds the app once for the specs.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { electronExecutable, ROOT } from './electron-binary'

export default function setup(): void {
  const exe = electronExecutable()
  if ('skipped' in exe) {
    process.stdout.write(`[electron] Electron project skipped: ${exe.skipped}.\n`)
    return
  }
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'electron-vite'), ['build'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000
  })
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`)
  process.stdout.write(`[electron] testing the built app with ${exe.path}\n`)
}
