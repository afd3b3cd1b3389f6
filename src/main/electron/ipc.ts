/**
 * The Electron transport of the API: one invoke handler that checks who is asking and hands the
 * request to the core, and one forwarder per event. The core validates every request itself.
 */
import { errorMessage } from '@shared/error-text'
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { EVENT_NAMES, IPC_EVENT_PREFIX, IPC_INVOKE, type ApiResult } from '@shared/api'
import { isAppUrl, type AppOrigin } from './app-origin'
import type { Core } from '../core/core'

/** What the IPC layer connects. */
export interface IpcOptions {
  core: Core
  /** The one window whose page may call the API and receives events. */
  window: BrowserWindow
  /** Where the app's page comes from; requests from any other page are refused. */
  origin: AppOrigin
}

const unknownSender: ApiResult<never> = {
  ok: false,
  error: { code: 'invalid_request', message: 'request from an unknown sender; it was ignored' }
}

/** True when the request comes from the main window's own page (not a frame or another page). */
function isTrustedSender(event: IpcMainInvokeEvent, options: IpcOptions): boolean {
  const frame = event.senderFrame
  if (!frame) return false
  if (options.window.isDestroyed() || event.sender !== options.window.webContents) return false
  if (frame !== event.sender.mainFrame) return false
  return isAppUrl(frame.url, options.origin)
}

type InvokeHandler = (event: IpcMainInvokeEvent, channel: unknown, request: unknown) => Promise<ApiResult<unknown>>

/** The invoke handler; it never throws into Electron. */
function invokeHandler(options: IpcOptions): InvokeHandler {
  return async (event, channel, request) => {
    try {
      if (!isTrustedSender(event, options)) return unknownSender
      if (typeof channel !== 'string') {
        return { ok: false, error: { code: 'unknown_channel', message: 'the channel name must be a string' } }
      }
      return await options.core.route(channel, request)
    } catch (error) {
      const message = errorMessage(error)
      return { ok: false, error: { code: 'failed', message: `the request failed inside the app: ${message}` } }
    }
  }
}

/** Connects the window to the core; returns the function that disconnects it (called on close). */
export function registerIpc(options: IpcOptions): () => void {
  ipcMain.handle(IPC_INVOKE, invokeHandler(options))
  const contents = options.window.webContents
  const unsubscribes = EVENT_NAMES.map((name) =>
    options.core.on(name, (payload) => {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT_PREFIX + name, payload)
    })
  )
  let disposed = false
  const dispose = (): void => {
    if (disposed) return
    disposed = true
    ipcMain.removeHandler(IPC_INVOKE)
    for (const unsubscribe of unsubscribes) unsubscribe()
  }
  options.window.once('closed', dispose)
  return dispose
}
