/**
 * The Electron IPC layer over the real core (temp database): who may call, what a bad request
 * gets back, and that nothing ever throws into Electron. Electron itself cannot run here, so
 * `ipcMain` and the window are stand-ins; the core behind them is the real one.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IPC_EVENT_PREFIX, IPC_INVOKE, type ApiResult } from '@shared/api'
import { defaultHparams } from '@shared/hparams'

type Handler = (event: unknown, channel: unknown, request: unknown) => Promise<ApiResult<unknown>>
const handlers = new Map<string, Handler>()

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, handler)
    },
    removeHandler: (channel: string) => handlers.delete(channel)
  }
}))

const { registerIpc } = await import('@main/electron/ipc')
const { createCore, forkTrainer } = await import('@main/core/core')
type Core = Awaited<ReturnType<typeof createCore>>

// An install path with characters that broke file:// path comparisons; the app scheme never sees it.
const RENDERER_DIR = '/opt/My #1 Atelier?/resources/app.asar/out/renderer'
const APP_URL = 'app://atelier/index.html#/runs'

function fakeWindow() {
  const mainFrame = { url: APP_URL }
  const closed: (() => void)[] = []
  const contents = { mainFrame, send: vi.fn(), isDestroyed: () => false }
  return {
    webContents: contents,
    isDestroyed: () => false,
    once: (event: string, cb: () => void) => {
      if (event === 'closed') closed.push(cb)
    },
    close: () => closed.forEach((cb) => cb())
  }
}

let dir: string
let core: Core
let window: ReturnType<typeof fakeWindow>
let dispose: () => void

function invoke(event: unknown, channel: unknown, request: unknown): Promise<ApiResult<unknown>> {
  const handler = handlers.get(IPC_INVOKE)
  if (!handler) throw new Error('no invoke handler registered')
  return handler(event, channel, request)
}

const fromApp = () => ({ sender: window.webContents, senderFrame: window.webContents.mainFrame })

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-ipc-'))
  core = await createCore({
    dataDir: join(dir, 'no-dataset'),
    dbPath: join(dir, 'atelier.db'),
    appVersion: '0.0.0-test',
    settingsPath: null,
    spawnTrainer: forkTrainer,
    dialogs: { saveFile: async () => null, openFolder: async () => null }
  })
  window = fakeWindow()
  dispose = registerIpc({ core, window: window as never, origin: { kind: 'app', rendererDir: RENDERER_DIR } })
})

afterEach(async () => {
  dispose()
  await core.shutdown({ cancelRunning: true })
  rmSync(dir, { recursive: true, force: true })
})

describe('registerIpc', () => {
  const start = { hparams: { ...defaultHparams('dense'), epochs: 1, trainSubset: 200 } }
  const foreign = {
    'another webContents': () => ({ sender: { mainFrame: {} }, senderFrame: { url: APP_URL } }),
    'a sub-frame of the window': () => ({ sender: window.webContents, senderFrame: { url: APP_URL } }),
    'a frame that has gone': () => ({ sender: window.webContents, senderFrame: null }),
    'a page from the web': () => {
      window.webContents.mainFrame.url = 'https://example.com/index.html'
      return fromApp()
    },
    'another local file': () => {
      window.webContents.mainFrame.url = 'file:///tmp/evil.html'
      return fromApp()
    },
    'the built index.html opened as a file': () => {
      window.webContents.mainFrame.url = `file://${RENDERER_DIR}/index.html`
      return fromApp()
    },
    'another host on the app scheme': () => {
      window.webContents.mainFrame.url = 'app://evil/index.html'
      return fromApp()
    },
    'another page of the app scheme': () => {
      window.webContents.mainFrame.url = 'app://atelier/assets/evil.html'
      return fromApp()
    }
  }

  for (const [name, event] of Object.entries(foreign)) {
    it(`refuses a request from ${name} with a typed error and does nothing`, async () => {
      const result = await invoke(event(), 'runs.start', start)
      expect(result).toEqual({
        ok: false,
        error: { code: 'invalid_request', message: expect.stringContaining('unknown sender') }
      })
      window.webContents.mainFrame.url = APP_URL
      expect(await invoke(fromApp(), 'runs.list', {})).toEqual({ ok: true, data: [] })
    })
  }

  it('serves the app page, hash routes included', async () => {
    const result = await invoke(fromApp(), 'app.info', {})
    expect(result.ok).toBe(true)
    expect(result.ok && (result.data as { version: string }).version).toBe('0.0.0-test')
  })

  it('answers an invalid request with invalid_request and the failing field', async () => {
    const result = await invoke(fromApp(), 'runs.start', { hparams: { ...start.hparams, epochs: 0 } })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('invalid_request')
    expect(result.error.fieldErrors?.map((e) => e.path)).toContain('hparams.epochs')
    expect(await invoke(fromApp(), 'runs.list', {})).toEqual({ ok: true, data: [] })
  })

  it('answers an unknown or malformed channel without throwing', async () => {
    const unknown = await invoke(fromApp(), 'runs.launchMissiles', {})
    expect(unknown.ok === false && unknown.error.code).toBe('unknown_channel')
    const notString = await invoke(fromApp(), 42, {})
    expect(notString.ok === false && notString.error.code).toBe('unknown_channel')
  })

  it('never throws into Electron, even when reading the request throws', async () => {
    const hostile = {
      get hparams(): never {
        throw new Error('boom')
      }
    }
    const result = await invoke(fromApp(), 'runs.start', hostile)
    expect(result.ok).toBe(false)
    expect(await invoke(fromApp(), 'runs.list', {})).toEqual({ ok: true, data: [] })
  })

  it('in development trusts only the dev server origin', async () => {
    dispose()
    dispose = registerIpc({ core, window: window as never, origin: { kind: 'dev', url: 'http://localhost:5173/' } })
    window.webContents.mainFrame.url = 'http://localhost:5173/#/runs/3'
    expect((await invoke(fromApp(), 'runs.list', {})).ok).toBe(true)
    for (const url of ['http://localhost:5174/', 'http://127.0.0.1:5173/', APP_URL]) {
      window.webContents.mainFrame.url = url
      const result = await invoke(fromApp(), 'runs.list', {})
      expect(result.ok === false && result.error.message).toContain('unknown sender')
    }
  })

  it('forwards core events to the window until it closes, then lets go', async () => {
    await invoke(fromApp(), 'runs.delete', { ids: [99] })
    expect(window.webContents.send).toHaveBeenCalledWith(`${IPC_EVENT_PREFIX}runs.deleted`, { ids: [99] })
    window.close()
    window.webContents.send.mockClear()
    await core.route('runs.delete', { ids: [98] })
    expect(window.webContents.send).not.toHaveBeenCalled()
    expect(handlers.has(IPC_INVOKE)).toBe(false)
  })
})

describe('event forwarding', () => {
  it('forwards every event the contract declares, with no second list to keep', async () => {
    const { EVENTS } = await import('@shared/api')
    const { createEmitter } = await import('@shared/emitter')
    const events = createEmitter<Record<string, unknown>>()
    const fake = { on: events.on, route: async () => ({ ok: true, data: null }) }
    dispose() // the window registered for the other tests lets go of the invoke handler
    const win = fakeWindow()
    const stop = registerIpc({ core: fake as never, window: win as never, origin: { kind: 'app', rendererDir: RENDERER_DIR } })
    try {
      for (const name of Object.keys(EVENTS)) events.emit(name, { name })
      expect(win.webContents.send.mock.calls).toEqual(Object.keys(EVENTS).map((name) => [`${IPC_EVENT_PREFIX}${name}`, { name }]))
      expect(Object.keys(EVENTS)).toEqual(
        expect.arrayContaining(['runs.progress', 'runs.epoch', 'runs.updated', 'runs.deleted', 'dataset.progress'])
      )
    } finally {
      stop()
    }
  })
})
