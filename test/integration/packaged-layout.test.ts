/**
 * `electron-builder --dir` with the real electron-builder.yml, as far as it goes without the Electron
 * binary (which cannot be downloaded here): a stand-in Electron folder (`electronDist`) lets it load and
 * validate the config, collect the production dependencies, write app.asar and app.asar.unpacked, and
 * stop at the fuse flip, which needs the real binary. The archive is then checked for what the app loads
 * and what it must not carry. Linux only: the stand-in mimics Linux's Electron layout.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeCommand, ROOT } from '../../scripts/node-bin'
import { electronViteBuildCommand } from '../../src/main/server/renderer-build'

const { listPackage } = createRequire(join(ROOT, 'package.json'))('@electron/asar') as {
  listPackage(path: string, options: { isPack: boolean }): string[]
}
const linux = process.platform === 'linux'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? files(join(dir, name)).map((f) => `${name}/${f}`) : [name]
  )
}
function megabytes(dir: string): number {
  return files(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0) / 1e6
}

describe.skipIf(!linux)(
  `electron-builder --dir without the Electron binary${linux ? '' : ' — SKIPPED: the stand-in Electron has Linux’s layout'}`,
  () => {
    const temp = mkdtempSync(join(tmpdir(), 'atelier-pack-'))
    const out = join(temp, 'dist')
    let output = ''
    let status: number | null = null

    beforeAll(() => {
      const [node, ...build] = electronViteBuildCommand()
      const built = spawnSync(node!, build, { cwd: ROOT, encoding: 'utf8', timeout: 300_000 })
      expect(built.status, built.stderr).toBe(0)
      const electron = join(temp, 'electron-dist')
      mkdirSync(electron)
      writeFileSync(join(electron, 'electron'), '#!/bin/sh\necho stand-in\n', { mode: 0o755 })
      writeFileSync(join(electron, 'version'), 'v45.4.1')
      const [builderNode, ...builder] = nodeCommand('electron-builder', [
        '--dir',
        '--linux',
        '--x64',
        '--publish',
        'never',
        `-c.electronDist=${electron}`,
        `-c.directories.output=${out}`
      ])
      // electron-builder silences its progress log when it sees VITEST in the environment.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')))
      const result = spawnSync(builderNode!, builder, { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...env, CI: 'true' } })
      // Without colour codes between the words (vitest's environment asks for colour).
      output = stripVTControlCharacters(`${result.stdout}\n${result.stderr}`)
      status = result.status
    }, 600_000)

    afterAll(() => rmSync(temp, { recursive: true, force: true }))

    it('gets through config validation, dependency collection and the asar, and stops only at the fuse flip', () => {
      expect(output).toMatch(/loaded configuration\s+file=.*electron-builder\.yml/)
      expect(output).toMatch(/executing @electron\/fuses/)
      expect(status).not.toBe(0)
      expect(output).toMatch(/Could not find sentinel in the provided Electron binary/)
    })

    it('packs the built app: main, trainer, inference worker, renderer, icon', () => {
      const entries = listPackage(join(out, 'linux-unpacked', 'resources', 'app.asar'), { isPack: false }).map((e) =>
        e.replaceAll('\\', '/')
      )
      for (const needed of [
        '/package.json',
        '/out/main/index.js',
        '/out/main/trainer.js',
        '/out/main/inference-worker.js',
        '/out/renderer/index.html',
        '/resources/icon.png'
      ]) {
        expect(entries, needed).toContain(needed)
      }
      expect(entries.filter((e) => /\.(map|ts)$/.test(e) && !e.endsWith('.d.ts'))).toEqual([])
      const leftOut = entries.filter((e) => /^\/node_modules\/better-sqlite3\/(deps|src)\//.test(e))
      expect(leftOut).toEqual([])
    })

    it('unpacks the WASM binaries, sharp with this platform’s libvips, and this platform’s better-sqlite3 addon, and nothing of other platforms', () => {
      const unpacked = join(out, 'linux-unpacked', 'resources', 'app.asar.unpacked')
      const list = files(unpacked)
      expect(list.filter((f) => f.startsWith('node_modules/@tensorflow/tfjs-backend-wasm/') && f.endsWith('.wasm')).length).toBeGreaterThan(
        0
      )
      expect(list).toContain('node_modules/better-sqlite3/prebuilds/linux-x64.node')
      expect(list.filter((f) => /better-sqlite3\/prebuilds\/(darwin|win32|linuxmusl)-/.test(f))).toEqual([])
      expect(list.filter((f) => /better-sqlite3\/(deps|src)\//.test(f))).toEqual([])
      // The folder import decodes with sharp in the main process: its JS, addon and libvips load from here.
      expect(list).toContain('node_modules/sharp/package.json')
      expect(list.filter((f) => /^node_modules\/@img\/sharp-linux-x64\/.*\.node$/.test(f)).length).toBe(1)
      expect(list.filter((f) => /^node_modules\/@img\/sharp-libvips-linux-x64\/lib\/libvips/.test(f)).length).toBeGreaterThan(0)
      expect(list.filter((f) => /^node_modules\/@img\/sharp-(darwin|win32|linuxmusl)/.test(f))).toEqual([])
      const asar = statSync(join(out, 'linux-unpacked', 'resources', 'app.asar')).size / 1e6
      console.log(`[packaged] app.asar ${asar.toFixed(1)} MB, app.asar.unpacked ${megabytes(unpacked).toFixed(1)} MB`)
    })

    it('imports sharp as the package electron-builder unpacks, and tfjs-node only where the app can do without it', () => {
      const bundle = files(join(ROOT, 'out', 'main'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => readFileSync(join(ROOT, 'out', 'main', f), 'utf8'))
      // Not bundled: loaded from node_modules/sharp (unpacked above), which finds its platform's addon.
      expect(bundle.some((code) => /(from|require\()\s*["']sharp["']/.test(code))).toBe(true)
      expect(bundle.some((code) => /@img\//.test(code))).toBe(false)
      // tfjs-node is reached only through a variable specifier inside the `auto` backend's fallback chain.
      const tfjsNode = bundle.filter((code) => code.includes('@tensorflow/tfjs-node'))
      expect(tfjsNode.length).toBe(1)
      expect(tfjsNode[0]).not.toMatch(/(from|import\(|require\()\s*["']@tensorflow\/tfjs-node["']/)
      expect(existsSync(join(ROOT, 'out', 'main', 'index.js'))).toBe(true)
    })
  }
)
