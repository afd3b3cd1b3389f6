/** What the app shows of a team store's workers and queue (PostgreSQL stores; a SQLite store has none). */

/** One worker process of a team store, as its last heartbeat saw it. */
export interface TeamWorkerInfo {
  /** NAME@host:pid (unique while the process lives). */
  name: string
  host: string
  pid: number
  /** Cores its machine lets it use, when it reported them. */
  cores: number | null
  /** Heard from within three heartbeats. */
  live: boolean
  /** ISO time of its last heartbeat. */
  lastHeartbeat: string
  /** Runs it holds the lease of: those it trains now. */
  runIds: number[]
  /** The backend of the run it trains (e.g. "wasm"), when it trains one and has started it. */
  backend: string | null
}

export type TeamStatus =
  | { kind: 'team'; workers: TeamWorkerInfo[]; queued: number }
  /** A SQLite store: runs train in this process; `reason` says how to get a team store. */
  | { kind: 'local'; reason: string }

/** Where new runs train: `here` (this process's queue) or `workers` (the team store's queue, for any worker). */
export const RUN_PLACES = ['here', 'workers'] as const
export type RunPlace = (typeof RUN_PLACES)[number]
