/**
 * The Electron project's set-up: where the binary is absent it says so in one line (the specs then
 * report as skipped, never as passed); where it is present it builds the app once for the specs.
 */
import { spawnSync } from 'node:child_process'
import { electronViteBuildCommand } from '../../src/main/server/renderer-build'
import { electronExecutable, ROOT } from './electron-binary'

export default function setup(): void {
  const exe = electronExecutable()
  if ('skipped' in exe) {
    process.stdout.write(`[electron] Electron project skipped: ${exe.skipped}.\n`)
    return
  }
  // node + electron-vite's .js entry: `.bin/electron-vite` is a .cmd on Windows, which needs a shell.
  const [node, ...args] = electronViteBuildCommand(ROOT) as [string, ...string[]]
  const result = spawnSync(node, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000
  })
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`)
  process.stdout.write(`[electron] testing the built app with ${exe.path}\n`)
}
