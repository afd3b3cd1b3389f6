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
  /** Looks once (after a look already under way); resolves to how many runs were reported changed or deleted. */
  check(): Promise<number>
  /** Records what this process already reported, so a later look does not report it again. */
  saw<E extends keyof EventMap>(event: E, payload: EventMap[E]): void
  /** Stops looking; resolves once a look under way has ended, so the store can be closed after it. */
  stop(): Promise<void>
}

/** Starts watching `options.store`; resolves once the current state is known (it is not reported). */
export async function watchStore(options: StoreWatcherOptions): Promise<StoreWatcher> {
  const { store, emit } = options
  const isAlive = options.isAlive ?? processIsAlive
  let seenData = await store.dataVersion()
  let known = new Map((await store.runs.versions()).map((r) => [r.id, r.version]))
  let stopped = false
  /** The look under way, if any: looks never overlap, or two could report the same change. */
  let looking: Promise<number> | null = null

  async function look(): Promise<number> {
    if (stopped) return 0
    // A run another process trains whose process is gone (killed CLI) is interrupted, as at start-up.
    const orphaned = options.recoverOrphans !== false && (await store.runs.foreignOwners(process.pid)).some((pid) => !isAlive(pid))
    // Own writes do not move data_version, so marking them forces a look.
    const marked = orphaned ? await store.runs.markInterrupted({ isAlive }) : 0
    const now = await store.dataVersion()
    if (stopped || (now === seenData && marked === 0)) return 0
    seenData = now
    const rows = await store.runs.versions()
    const changed = rows.filter((r) => known.get(r.id) !== r.version).map((r) => r.id)
    const present = new Set(rows.map((r) => r.id))
    const deleted = [...known.keys()].filter((id) => !present.has(id))
    known = new Map(rows.map((r) => [r.id, r.version]))
    for (let i = 0; i < changed.length && !stopped; i += 100) {
      ;(await store.runs.getMany(changed.slice(i, i + 100))).forEach((run) => emit('runs.updated', toSummary(run)))
    }
    if (deleted.length && !stopped) emit('runs.deleted', { ids: deleted })
    return changed.length + deleted.length
  }

  function check(): Promise<number> {
    const next = (looking ?? Promise.resolve(0)).catch(() => 0).then(look)
    looking = next
    void next.then(
      () => (looking === next ? (looking = null) : null),
      () => (looking === next ? (looking = null) : null)
    )
    return next
  }

  const interval = options.intervalMs ?? 1000
  const timer =
    interval > 0
      ? setInterval(() => {
          // A slow look (a busy database) is not queued behind again: the next tick looks instead.
          if (looking) return
          check().catch((error: unknown) => {
            // A busy or closing database: the next look tries again.
            if (!stopped) console.error('watching the run database for other processes failed:', error)
          })
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

  return {
    check,
    saw,
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      await looking?.catch(() => 0)
    }
  }
}
