/**
 * What other machines change in a PostgreSQL store, as it happens: one connection that LISTENs on
 * the channel the `runs_announce` trigger notifies (every committed change to a run, an epoch
 * recorded included, with the run's id). A viewer's store watcher reads {@link ChangeFeed.version}
 * every second without a query, and queries only when it moved.
 *
 * A dropped connection may have missed notifications, so losing it and getting it back each move
 * the version (the watcher then compares every run's version, as after any change); the feed
 * reconnects by itself, waiting longer after each failure, up to {@link MAX_RETRY_MS}.
 */
import pg from 'pg'
import type { PostgresLocation } from './store-location'
import { poolConfig } from './postgres-connection'

/** The channel of `runs_announce` (postgres-migrations.ts). */
export const CHANGES_CHANNEL = 'atelier_runs'
/** Longest wait between two reconnection attempts. */
export const MAX_RETRY_MS = 30_000

export interface ChangeFeed {
  /** Moves on every announced change and on every lost or regained connection. */
  version(): number
  /** Whether the feed is listening now (false while it reconnects). */
  listening(): boolean
  /**
   * Resolves once every change committed before the call has been counted: a round trip on the
   * listening connection, since the server sends a listener its pending notifications before it
   * answers the listener's next query.
   */
  sync(): Promise<void>
  /** Calls `fn` with the id of each changed run; returns a function that stops calling it. */
  onRun(fn: (runId: number) => void): () => void
  close(): Promise<void>
}

export interface ChangeFeedOptions {
  /** First wait before reconnecting, doubled after each failure (default 500 ms). */
  retryMs?: number
}

/** Starts listening; resolves once the first LISTEN is in place (throws if that fails). */
export async function listenForChanges(location: PostgresLocation, options: ChangeFeedOptions = {}): Promise<ChangeFeed> {
  const firstRetry = options.retryMs ?? 500
  const config = { ...poolConfig(location), application_name: 'atelier-changes' }
  const listeners = new Set<(runId: number) => void>()
  let version = 0
  let client: pg.Client | null = null
  let closed = false
  let retry: ReturnType<typeof setTimeout> | null = null
  let wait = firstRetry

  async function connect(): Promise<void> {
    const next = new pg.Client(config)
    next.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL) return
      version++
      const runId = Number(message.payload)
      if (Number.isInteger(runId)) for (const fn of listeners) fn(runId)
    })
    const lost = (): void => {
      if (client !== next) return
      client = null
      version++
      next.removeAllListeners('end')
      next.end().catch(() => undefined)
      schedule()
    }
    next.on('error', lost)
    next.on('end', lost)
    try {
      await next.connect()
      await next.query(`LISTEN ${CHANGES_CHANNEL}`)
    } catch (error) {
      next.removeAllListeners()
      next.on('error', () => undefined)
      await next.end().catch(() => undefined)
      throw error
    }
    if (closed) {
      await next.end().catch(() => undefined)
      return
    }
    client = next
  }

  function schedule(): void {
    if (closed || retry) return
    retry = setTimeout(() => {
      retry = null
      connect().then(
        () => {
          // Back: what happened while away is unknown, so count it as a change.
          version++
          wait = firstRetry
        },
        () => {
          wait = Math.min(wait * 2, MAX_RETRY_MS)
          schedule()
        }
      )
    }, wait)
    retry.unref()
  }

  await connect()
  return {
    version: () => version,
    listening: () => client !== null,
    async sync() {
      // A lost connection is handled by its listeners (the version moves); nothing to add here.
      await client?.query('SELECT 1').catch(() => undefined)
    },
    onRun(fn) {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },
    async close() {
      closed = true
      if (retry) clearTimeout(retry)
      retry = null
      const last = client
      client = null
      if (last) {
        last.removeAllListeners('end')
        await last.end().catch(() => undefined)
      }
    }
  }
}
