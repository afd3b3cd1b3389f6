/**
 * The packaged smoke check's pieces that run without Electron: finding the unpacked app electron-builder
 * wrote, reading Chromium's DevTools endpoint, the renderer-side train-and-predict check (against a
 * stand-in `window.atelier`), and the verdict.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { API } from '@shared/api'
import { activePortEndpoint, devtoolsEndpoint, packagedExecutable } from '../../../scripts/packaged-app'
import { smokeEnv, smokeInput } from '../../../scripts/packaged-smoke'
import { judgeSmoke, smokeInPage, type SmokeResult } from '../../../scripts/smoke-check'

const temps: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-smoke-'))
  temps.push(dir)
  return dir
}
function touch(path: string): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, '')
}

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
  delete (globalThis as { atelier?: unknown }).atelier
})

describe('packagedExecutable', () => {
  it('finds electron-builder’s unpacked app on each OS and architecture', () => {
    const dist = tempDir()
    const layouts: Array<[NodeJS.Platform, string, string]> = [
      ['linux', 'x64', 'linux-unpacked/atelier'],
      ['linux', 'arm64', 'linux-arm64-unpacked/atelier'],
      ['win32', 'x64', 'win-unpacked/Atelier.exe'],
      ['darwin', 'arm64', 'mac-arm64/Atelier.app/Contents/MacOS/Atelier'],
      ['darwin', 'x64', 'mac/Atelier.app/Contents/MacOS/Atelier']
    ]
    for (const [, , path] of layouts) touch(join(dist, path))
    for (const [platform, arch, path] of layouts) expect(packagedExecutable(dist, platform, arch)).toBe(join(dist, path))
  })

  it('says what dist/ holds and how to build the app when it is not there', () => {
    const dist = tempDir()
    touch(join(dist, 'Atelier-0.1.0.AppImage'))
    expect(() => packagedExecutable(dist, 'linux', 'x64')).toThrow(
      /No packaged Atelier for linux-x64: looked for .*linux-unpacked.atelier; .* holds Atelier-0\.1\.0\.AppImage\. Build it first with `npm run dist -- --dir`\./
    )
    expect(() => packagedExecutable(join(dist, 'missing'), 'win32', 'x64')).toThrow(/holds nothing \(it does not exist\)/)
  })
})

describe('the DevTools endpoint', () => {
  it('is read from Chromium’s stderr line or from DevToolsActivePort', () => {
    const line = '\nDevTools listening on ws://127.0.0.1:40123/devtools/browser/3f2c-aa\n[1:2:ERROR] other'
    expect(devtoolsEndpoint(line)).toBe('ws://127.0.0.1:40123/devtools/browser/3f2c-aa')
    expect(devtoolsEndpoint('[1:2:INFO] still starting')).toBeNull()
    expect(activePortEndpoint('40123\n/devtools/browser/3f2c-aa\n')).toBe('ws://127.0.0.1:40123/devtools/browser/3f2c-aa')
    expect(activePortEndpoint('40123\r\n/devtools/browser/x')).toBe('ws://127.0.0.1:40123/devtools/browser/x')
    expect(activePortEndpoint('')).toBeNull()
    expect(activePortEndpoint('40123')).toBeNull()
  })
})

describe('the smoke run', () => {
  it('asks for a run the app’s contract accepts, with its own user data and the dataset read-only', () => {
    const input = smokeInput()
    expect(API['runs.start'].request.safeParse({ hparams: input.hparams, name: input.name }).success).toBe(true)
    expect(input.hparams).toMatchObject({ preset: 'dense', epochs: 1, trainSubset: 2000 })
    expect(smokeEnv({ PATH: '/bin' }, '/tmp/x', '/data')).toEqual({
      PATH: '/bin',
      ATELIER_USER_DATA_DIR: join('/tmp/x', 'user-data'),
      ATELIER_DB: join('/tmp/x', 'atelier.db'),
      ATELIER_DATA_DIR: '/data'
    })
  })
})

/** A stand-in for the preload's API: a run that completes after `polls` reads, and a model that predicts class 3. */
function fakeAtelier(options: { polls?: number; finalStatus?: string; predict?: number[] } = {}): string[] {
  const calls: string[] = []
  let reads = 0
  const run = (status: string, epochsDone: number) => ({
    id: 7,
    status,
    epochsDone,
    backend: 'wasm',
    testAccuracy: 0.71,
    errorMessage: status === 'failed' ? 'the trainer crashed (oom)' : null
  })
  ;(globalThis as { atelier?: unknown }).atelier = {
    invoke: async (channel: string, request: unknown) => {
      calls.push(channel)
      switch (channel) {
        case 'runs.start':
          expect(request).toMatchObject({ name: 'packaged smoke' })
          return { ok: true, data: run('queued', 0) }
        case 'runs.get':
          reads++
          return { ok: true, data: reads > (options.polls ?? 2) ? run(options.finalStatus ?? 'completed', 1) : run('running', 0) }
        case 'dataset.testSet':
          return { ok: true, data: { count: 1, images: new Uint8Array(784).fill(9), labels: new Uint8Array([3]) } }
        case 'models.predict':
          expect((request as { pixels: Uint8Array }).pixels).toHaveLength(784)
          return { ok: true, data: new Float32Array(options.predict ?? [0, 0, 0, 0.9, 0.1, 0, 0, 0, 0, 0]) }
        default:
          return { ok: false, error: { message: `unknown channel ${channel}` } }
      }
    }
  }
  return calls
}

const input = { ...smokeInput(), pollMs: 1, timeoutMs: 5000 }

describe('smokeInPage', () => {
  it('starts the run, waits for it to complete, then asks Try it for the first test image', async () => {
    const calls = fakeAtelier()
    const result = await smokeInPage(input)
    expect(calls).toEqual(['runs.start', 'runs.get', 'runs.get', 'runs.get', 'dataset.testSet', 'models.predict'])
    expect(result).toMatchObject({ runId: 7, status: 'completed', epochsDone: 1, backend: 'wasm', label: 3, predicted: 3 })
    expect(judgeSmoke(result, { epochs: 1, minTestAccuracy: 0.5 })).toEqual([])
  })

  it('reports a failed run with its message, a missing preload, and a run that never finishes', async () => {
    fakeAtelier({ polls: 0, finalStatus: 'failed' })
    await expect(smokeInPage(input)).rejects.toThrow('run 7 ended failed after 1 epochs: the trainer crashed (oom)')
    delete (globalThis as { atelier?: unknown }).atelier
    await expect(smokeInPage(input)).rejects.toThrow(/window\.atelier is missing .*preload/)
    fakeAtelier({ polls: Infinity })
    await expect(smokeInPage({ ...input, timeoutMs: 20 })).rejects.toThrow(/did not complete within 0 s \(status running, 0 epochs done\)/)
  })
})

describe('judgeSmoke', () => {
  const good: SmokeResult = {
    runId: 1,
    status: 'completed',
    epochsDone: 1,
    backend: 'wasm',
    testAccuracy: 0.72,
    label: 9,
    predicted: 9,
    probabilities: [0.01, 0.01, 0.01, 0.01, 0.01, 0.05, 0.01, 0.09, 0.1, 0.7]
  }

  it('passes a run that learned and a prediction of 10 probabilities', () => {
    expect(judgeSmoke(good, { epochs: 1, minTestAccuracy: 0.5 })).toEqual([])
  })

  it('names each problem: chance-level accuracy, missing epochs, and a prediction that is not a distribution', () => {
    expect(
      judgeSmoke({ ...good, testAccuracy: 0.1, epochsDone: 0, probabilities: [Number.NaN, 1] }, { epochs: 1, minTestAccuracy: 0.5 })
    ).toEqual([
      'the run trained 0 epochs, not 1',
      'test accuracy 0.1 is below 0.5 (training did not learn)',
      'Try it returned 2 values summing to NaN, not 10 class probabilities'
    ])
  })
})
