import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { BackendInfo } from '@shared/run'
import { initBackend } from '@main/core/tfjs/backend'
import { unpackedPath, wasmThreadAttempts } from '@main/core/tfjs/wasm-threads'

const run = promisify(execFile)
const CHILD = join(import.meta.dirname, 'fixtures', 'init-wasm-child.ts')

async function startInChild(env: Record<string, string>): Promise<{ info: BackendInfo; backend: string; loss: number }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env },
    cwd: join(import.meta.dirname, '..', '..', '..', '..', '..'),
    timeout: 120_000
  })
  const last = stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(last) as { info: BackendInfo; backend: string; loss: number }
}

const wasmInfo = (threads: number): BackendInfo => ({ name: 'wasm', threads, versions: { tfjs: 'x' } })

describe('WASM thread plan', () => {
  it('tries the run’s thread share first, then single-threaded WASM', () => {
    expect(wasmThreadAttempts({ wanted: 8, sharedArrayBuffer: true })).toEqual([8, 1])
  })

  it('goes straight to single-threaded WASM without SharedArrayBuffer, with one core, or when forced', () => {
    expect(wasmThreadAttempts({ wanted: 8, sharedArrayBuffer: false })).toEqual([1])
    expect(wasmThreadAttempts({ wanted: 1, sharedArrayBuffer: true })).toEqual([1])
    expect(wasmThreadAttempts({ wanted: 4, sharedArrayBuffer: true, forceSingle: true })).toEqual([1])
  })

  it('maps files inside a packaged app.asar to app.asar.unpacked, and leaves other paths alone', () => {
    expect(unpackedPath('/opt/Atelier/resources/app.asar/node_modules/@tensorflow/tfjs-backend-wasm/dist')).toBe(
      '/opt/Atelier/resources/app.asar.unpacked/node_modules/@tensorflow/tfjs-backend-wasm/dist'
    )
    expect(unpackedPath('C:\\Program Files\\Atelier\\resources\\app.asar\\node_modules\\x.js')).toBe(
      'C:\\Program Files\\Atelier\\resources\\app.asar.unpacked\\node_modules\\x.js'
    )
    expect(unpackedPath('/home/me/app.asar.unpacked/x.js')).toBe('/home/me/app.asar.unpacked/x.js')
    expect(unpackedPath('/home/me/atelier/node_modules/x.js')).toBe('/home/me/atelier/node_modules/x.js')
  })
})

describe('WASM fallback steps', () => {
  it('a threaded start that throws is followed by single-threaded WASM, not cpu', async () => {
    const tried: number[] = []
    const info = await initBackend('wasm', {
      threads: 4,
      startWasm: async (threads) => {
        tried.push(threads)
        if (threads > 1) throw new Error('pthread pool could not start')
        return wasmInfo(1)
      }
    })
    expect(tried).toEqual(typeof SharedArrayBuffer === 'function' ? [4, 1] : [1])
    expect(info).toEqual(wasmInfo(1))
  })

  it('a threaded start that hangs is abandoned after its timeout for single-threaded WASM', async () => {
    const info = await initBackend('wasm', {
      threads: 2,
      threadedStartTimeoutMs: 50,
      startWasm: (threads) => (threads > 1 ? new Promise<BackendInfo>(() => {}) : Promise.resolve(wasmInfo(1)))
    })
    expect(info.threads).toBe(1)
  })

  it('an explicit wasm choice names both failed attempts when neither starts', async () => {
    await expect(
      initBackend('wasm', {
        threads: 2,
        startWasm: async (threads) => {
          throw new Error(threads > 1 ? 'no pool' : 'no binary')
        }
      })
    ).rejects.toThrow(/'wasm'.*2 threads: no pool; single-threaded: no binary/)
  })

  it('without SharedArrayBuffer a real trainer process starts single-threaded WASM and trains', async () => {
    const out = await startInChild({ ATELIER_TEST_NO_SAB: '1', ATELIER_TEST_THREADS: '2' })
    expect(out.backend).toBe('wasm')
    expect(out.info.name).toBe('wasm')
    expect(out.info.threads).toBe(1)
    expect(Number.isFinite(out.loss)).toBe(true)
  })

  it('with SharedArrayBuffer a real trainer process starts WASM with the threads it was given', async () => {
    const out = await startInChild({ ATELIER_TEST_THREADS: '2' })
    expect(out.info).toMatchObject({ name: 'wasm', threads: 2 })
    expect(Number.isFinite(out.loss)).toBe(true)
  })
})
