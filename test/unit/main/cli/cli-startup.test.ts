/**
 * Commands that only read the store start fast: tf.js, ECharts, pdfkit and the ONNX writer (~6 s of
 * loading together) load with the first training, export or report, not with `list`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../../../..')
const work = mkdtempSync(join(tmpdir(), 'atelier-startup-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The npm packages a CLI command loaded, from test/helpers/trace-packages.mjs. */
function packagesLoadedBy(args: string[]): string[] {
  const hook = pathToFileURL(resolve(root, 'test/helpers/trace-packages.mjs')).href
  const tsx = pathToFileURL(resolve(root, 'node_modules/tsx/dist/loader.mjs')).href
  const r = spawnSync(process.execPath, ['--import', hook, '--import', tsx, 'src/main/cli/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8'
  })
  expect(r.status, r.stderr).toBe(0)
  const line = r.stderr.split('\n').find((l) => l.startsWith('PACKAGES '))
  expect(line, r.stderr).toBeDefined()
  return line!.slice('PACKAGES '.length).split(',')
}

describe('CLI start-up', () => {
  it('list loads the store, not tf.js, ECharts, pdfkit or protobuf', () => {
    const loaded = packagesLoadedBy(['list', '--db', join(work, 'atelier.db')])
    expect(loaded).toContain('better-sqlite3')
    for (const heavy of ['@tensorflow/tfjs', '@tensorflow/tfjs-core', 'echarts', 'zrender', 'pdfkit', 'protobufjs']) {
      expect(loaded, heavy).not.toContain(heavy)
    }
  })
})
