/**
 * Notices changes another process made to the run database (the CLI training into the store the app
 * shows) and reports them as the same events this process emits for its own changes.
 *
 * `PRAGMA data_version` changes only when another connection commits, so a poll costs one pragma
 * while nothing happens. When it moved, each run's `version` (bumped by a trigger on every change,
 * see migration v5) says which runs changed; only those are read again.
 */
import type { EventMap } from '@shared/api'
import type { RunStore } from '@main/core/store'
import { processIsAlive } from '@main/core/store/runs-repo'
import { toSummary } from './summary'

export interface StoreWatcherOptions {
  store: RunStore
  emit: <E extends keyof EventMap>(event: E, payload: EventMap[E]) => void
  /** How often to look, in ms (default 1000); 0 never polls (call `check` yourself). */
  intervalMs?: number
  /** Mark runs whose other owner process is gone `interrupted` (default true), as the core does at start-up. */
  recoverOrphans?: boolean
  /** Whether a process id is alive (tests pass their own). */
  isAlive?: (pid: number) => boolean
}

export interface StoreWatcher {
  /** Looks once; returns how many runs were reported changed or deleted. */
  check(): number
  /** Records what this process already reported, so a later look does not report it again. */
  saw<E extends keyof EventMap>(event: E, payload: EventMap[E]): void
  stop(): void
}

export function watchStore(options: StoreWatcherOptions): StoreWatcher {
  const { store, emit } = options
  const isAlive = options.isAlive ?? processIsAlive
  const db = store.db
  const versions = db.prepare<[], { id: number; version: number }>('SELECT id, version FROM runs')
  const foreignOwners = db.prepare<[number], { owner_pid: number }>(
    `SELECT owner_pid FROM runs WHERE status = 'running' AND owner_pid IS NOT NULL AND owner_pid != ?`
  )
  const dataVersion = (): number => db.pragma('data_version', { simple: true }) as number
  let seenData = dataVersion()
  let known = new Map(versions.all().map((r) => [r.id, r.version]))

  function check(): number {
    if (!db.open) return 0
    // A run another process trains whose process is gone (killed CLI) is interrupted, as at start-up.
    const orphaned = options.recoverOrphans !== false && foreignOwners.all(process.pid).some((r) => !isAlive(r.owner_pid))
    // Own writes do not move data_version, so marking them forces a look.
    const marked = orphaned ? store.runs.markInterrupted({ isAlive }) : 0
    const now = dataVersion()
    if (now === seenData && marked === 0) return 0
    seenData = now
    const rows = versions.all()
    const changed = rows.filter((r) => known.get(r.id) !== r.version).map((r) => r.id)
    const present = new Set(rows.map((r) => r.id))
    const deleted = [...known.keys()].filter((id) => !present.has(id))
    known = new Map(rows.map((r) => [r.id, r.version]))
    for (let i = 0; i < changed.length; i += 100) {
      store.runs.getMany(changed.slice(i, i + 100)).forEach((run) => emit('runs.updated', toSummary(run)))
    }
    if (deleted.length) emit('runs.deleted', { ids: deleted })
    return changed.length + deleted.length
  }

  const interval = options.intervalMs ?? 1000
  const timer =
    interval > 0
      ? setInterval(() => {
          try {
            check()
          } catch (error) {
            // A busy or closing database: the next look tries again.
            console.error('watching the run database for other processes failed:', error)
          }
        }, interval)
      : null
  timer?.unref()
  function saw<E extends keyof EventMap>(event: E, payload: EventMap[E]): void {
    if (event === 'runs.updated') {
      const run = payload as EventMap['runs.updated']
      known.set(run.id, Math.max(run.version, known.get(run.id) ?? -1))
    } else if (event === 'runs.deleted') {
      ;(payload as EventMap['runs.deleted']).ids.forEach((id) => known.delete(id))
    }
  }

  return { check, saw, stop: () => timer && clearInterval(timer) }
}
