/**
 * The commands `npm start` / `dev` / `dist`, `npm run serve`'s renderer build and the Electron test set-up
 * spawn: this Node plus a package's JavaScript entry, never `node_modules/.bin/<name>` (a `.cmd` on
 * Windows, which Node refuses to spawn without a shell since CVE-2024-27980).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { browserFallback, LAUNCH_COMMANDS, launchSteps } from '../../../scripts/launch-steps'
import { ROOT } from '../../../scripts/node-bin'
import { electronViteBuildCommand } from '../../../src/main/server/renderer-build'

const allCommands = (): string[][] => [...LAUNCH_COMMANDS.flatMap((c) => launchSteps(c)), browserFallback(), electronViteBuildCommand()]

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|mts|js|mjs)$/.test(name) ? [path] : []
  })
}

describe('commands spawned without a shell', () => {
  it('are this Node running an existing JavaScript file of the package', () => {
    for (const [node, entry] of allCommands()) {
      expect(node).toBe(process.execPath)
      expect(entry, entry).toMatch(/\.(c|m)?js$/)
      expect(existsSync(entry!), entry).toBe(true)
      expect(entry).not.toMatch(/[\\/]\.bin[\\/]/)
    }
  })

  it('start, dev and dist run electron-vite (then electron-builder), and pass what follows `--` to the last step unchanged', () => {
    const dist = launchSteps('dist', ['--publish', 'never', '--dir'])
    expect(dist.map((step) => relative(ROOT, step[1]!).split(/[\\/]/).slice(0, 2).join('/'))).toEqual([
      'node_modules/electron-vite',
      'node_modules/electron-builder'
    ])
    expect(dist[0]!.slice(2)).toEqual(['build'])
    expect(dist[1]!.slice(2)).toEqual(['--publish', 'never', '--dir'])
    expect(launchSteps('start', ['--inspect']).at(-1)!.slice(2)).toEqual(['preview', '--inspect'])
    expect(browserFallback(['--port', '8080']).slice(2)).toEqual(['src/main/cli/cli.ts', 'serve', '--port', '8080'])
  })

  it('start for real: electron-vite, electron-builder and tsx answer --version when spawned this way', () => {
    for (const [node, entry] of [launchSteps('dev')[0]!, launchSteps('dist')[1]!, browserFallback()]) {
      const result = spawnSync(node!, [entry!, '--version'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
      expect(result.status, `${entry}: ${result.stderr}`).toBe(0)
      expect(result.stdout).toMatch(/\d+\.\d+\.\d+/)
    }
  })

  it('no script, source file or test spawns node_modules/.bin', () => {
    const offenders = ['scripts', 'src', 'test', 'bench']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .filter((file) => !file.endsWith('launch-steps.test.ts'))
      .filter((file) => /['"][^'"\n]*node_modules[\\/]\.bin|['"]\.bin['"]\s*,/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file))
    expect(offenders).toEqual([])
  })
})
