/**
 * The renderer's one transport seam, chosen once at start-up: the preload's `window.atelier` inside
 * the app (and the IPC test bridge), the HTTP client in a plain browser tab (`npm run serve`).
 * Nothing else in the renderer knows which; what differs for a person (native dialogs against
 * downloads and picked files) is read from {@link transportKind}.
 */
import type { AtelierApi } from '@shared/api'
import { createHttpTransport } from './http-transport'

/** `ipc`: the app (native dialogs); `http`: the browser shell (downloads, picked files). */
export type TransportKind = 'ipc' | 'http'

let http: AtelierApi | null = null

function choose(): { api: AtelierApi; kind: TransportKind } {
  // The preload defines window.atelier before any page script runs, so this answer never changes in a page.
  const bridge = (globalThis as { atelier?: AtelierApi }).atelier
  if (bridge) return { api: bridge, kind: 'ipc' }
  if (typeof location !== 'undefined' && location.protocol.startsWith('http') && typeof EventSource !== 'undefined') {
    http ??= createHttpTransport()
    return { api: http, kind: 'http' }
  }
  throw new Error('The app bridge is missing: this page must run inside Atelier, its browser shell, or its test harness.')
}

/** The API the renderer talks to. */
export function transport(): AtelierApi {
  return choose().api
}

/** Which shell the page runs in. */
export function transportKind(): TransportKind {
  return choose().kind
}
