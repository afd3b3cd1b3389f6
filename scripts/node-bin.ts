/**
 * Commands of npm packages, run as `node <the package's bin file>` instead of through
 * `node_modules/.bin/<name>`. On Windows `.bin/<name>` is a `.cmd` shim that Node refuses to spawn
 * without a shell since the CVE-2024-27980 fix (EINVAL), and a shell would re-split arguments; the
 * package's own JavaScript entry runs the same way on every OS.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The repository (this file is scripts/node-bin.ts). */
export const ROOT = join(import.meta.dirname, '..')

/** Absolute path of the JavaScript file behind `pkg`'s command `bin` (default: the command named like the package). */
export function packageBin(pkg: string, options: { bin?: string; from?: string } = {}): string {
  const require = createRequire(join(options.from ?? ROOT, 'package.json'))
  // `<pkg>/package.json` resolves for every package used here (exported, or no `exports` at all).
  const manifest = require.resolve(`${pkg}/package.json`)
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> }
  const name = options.bin ?? pkg.replace(/^@[^/]+\//, '')
  const file = typeof bin === 'string' ? bin : bin?.[name]
  if (!file) throw new Error(`${pkg} has no command named ${name}`)
  return join(dirname(manifest), file)
}

/** argv that runs `pkg`'s command with this Node: `[node, bin.js, ...args]`, no shell needed. */
export function nodeCommand(pkg: string, args: string[] = [], options: { bin?: string; from?: string } = {}): string[] {
  return [process.execPath, packageBin(pkg, options), ...args]
}
