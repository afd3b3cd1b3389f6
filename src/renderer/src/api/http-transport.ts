/**
 * The browser shell's transport: `AtelierApi` over HTTP to the local server (`npm run serve`).
 * Requests are frames (JSON header + raw typed-array bytes, see @shared/wire-frame) posted to
 * `/api/<channel>`; events arrive in order over one EventSource; an export answers with the file,
 * which goes to the browser's downloads.
 */
import { EVENT_NAMES, type ApiResult, type AtelierApi, type EventMap, type EventName, type SavedFile } from '@shared/api'
import { decodeFrame, decodeText, encodeFrame, FRAME_TYPE } from '@shared/wire-frame'
import { createEmitter } from '@shared/emitter'
import { deliverDownload } from '@renderer/lib/downloadText'

const failed = (message: string): ApiResult<never> => ({ ok: false, error: { code: 'failed', message } })

/** The file name from `Content-Disposition: attachment; filename="…"`. */
function attachmentName(header: string | null): string | null {
  const match = header && /^attachment;\s*filename="([^"]+)"/i.exec(header)
  return match ? match[1] : null
}

export function createHttpTransport(base = '/api/'): AtelierApi {
  const listeners = createEmitter<EventMap>()
  const source = new EventSource(`${base}events`)
  // Requests wait until the event stream is subscribed, so no event caused by a request is missed.
  const ready = new Promise<void>((resolve) => {
    source.addEventListener('ready', () => resolve(), { once: true })
    source.addEventListener('error', () => resolve(), { once: true })
  })
  for (const name of EVENT_NAMES) {
    source.addEventListener(name, (event) => {
      let payload: unknown
      try {
        payload = decodeText((event as MessageEvent<string>).data)
      } catch (error) {
        console.error(`event ${name} could not be read`, error)
        return
      }
      listeners.emit(name, payload as EventMap[typeof name])
    })
  }

  return {
    async invoke(channel, request) {
      let body: Uint8Array<ArrayBuffer>
      try {
        body = encodeFrame(request)
      } catch (error) {
        return failed(`The request could not reach the app: ${(error as Error).message}`)
      }
      await ready
      let response: Response
      try {
        response = await fetch(`${base}${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': FRAME_TYPE },
          body,
          credentials: 'same-origin'
        })
      } catch (error) {
        return failed(`The workbench server cannot be reached (${(error as Error).message}); check that \`npm run serve\` still runs.`)
      }
      const name = attachmentName(response.headers.get('content-disposition'))
      if (response.ok && name) {
        deliverDownload(await response.blob(), name)
        const saved: SavedFile = { path: name, downloaded: true }
        return { ok: true, data: saved } as never
      }
      if ((response.headers.get('content-type') ?? '').startsWith(FRAME_TYPE)) {
        try {
          return decodeFrame(new Uint8Array(await response.arrayBuffer())) as never
        } catch (error) {
          return failed(`The server's answer could not be read: ${(error as Error).message}`)
        }
      }
      const text = (await response.text().catch(() => '')).slice(0, 300)
      return failed(
        response.status === 401
          ? `The server no longer accepts this page's access (${text}) Open the address it printed when it started.`
          : `The server refused the request (HTTP ${response.status}): ${text}`
      )
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
      if (!EVENT_NAMES.includes(event)) throw new TypeError(`"${String(event)}" is not an event of the Atelier API.`)
      return listeners.on(event, listener)
    }
  }
}
