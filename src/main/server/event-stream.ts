/**
 * `GET /api/events`: the core's events as Server-Sent Events, in the order the core emits them.
 * A client that goes away unsubscribes at once; nothing is kept for it.
 */
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { EVENT_NAMES } from '@shared/api'
import { encodeText } from '@shared/wire-frame'
import type { Core } from '../core/core'

/** How often an idle stream sends a keep-alive, so a vanished client is noticed by a failed write. */
const KEEPALIVE_MS = 20_000

/** Open event streams, so the server can end them when it stops. */
export type StreamRegistry = Set<() => void>

export function eventStream(core: Core, streams: StreamRegistry): (c: Context) => Response {
  return (c) =>
    streamSSE(c, async (stream) => {
      let sequence = 0
      // Each write waits for the previous one: events reach the page in the order the core emitted them.
      let writes = Promise.resolve()
      const send = (event: string, data: string): void => {
        const id = String(++sequence)
        writes = writes.then(() => (stream.closed ? undefined : stream.writeSSE({ event, data, id }))).catch(() => stream.abort())
      }
      const unsubscribes = EVENT_NAMES.map((name) => core.on(name, (payload) => send(name, encodeText(payload))))
      const keepalive = setInterval(() => send('keepalive', '{}'), KEEPALIVE_MS)
      let finish = (): void => undefined
      const ended = new Promise<void>((resolve) => (finish = resolve))
      const end = (): void => {
        clearInterval(keepalive)
        for (const unsubscribe of unsubscribes) unsubscribe()
        streams.delete(end)
        finish()
      }
      streams.add(end)
      stream.onAbort(end)
      send('ready', '{}')
      await ended
    })
}
