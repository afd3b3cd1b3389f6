/**
 * The run store on SQLite: today's synchronous better-sqlite3 repositories behind the asynchronous
 * store API. Every call goes through one lock (a promise chain), and a transaction holds it from
 * BEGIN IMMEDIATE to COMMIT or ROLLBACK, so nothing else of this store runs in between: the same
 * order a single-connection asynchronous driver gives.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { resolve } from 'node:path'
import { openDatabase, type Database } from './connection'
import { createDatasetsRepo } from './datasets-repo'
import { createEpochsRepo } from './epochs-repo'
import { createGroupsRepo } from './groups-repo'
import { createModelFilesRepo } from './model-files-repo'
import { createResultsRepo } from './results-repo'
import { createResumePointsRepo } from './resume-points-repo'
import { createRunsRepo } from './runs-repo'
import { registerSqliteHandle } from './sqlite-handle'
import { createSweepsRepo } from './sweeps-repo'
import type { Sync } from './sync-repo'
import type { RunStore, StoreRepos } from './run-store'

/** The synchronous repositories, one per table. */
type SyncRepos = { [K in keyof StoreRepos]: Sync<StoreRepos[K]> }

/** Runs a synchronous store call, now or after the calls before it. */
type Runner = <R>(call: () => R | Promise<R>) => Promise<R>

/** One promise chain: each task starts when the one before it has settled. */
function createLock(): <R>(task: () => R | Promise<R>) => Promise<R> {
  let tail: Promise<unknown> = Promise.resolve()
  return (task) => {
    const result = tail.then(task)
    tail = result.then(
      () => undefined,
      () => undefined
    )
    return result
  }
}

function syncRepos(db: Database): SyncRepos {
  const epochs = createEpochsRepo(db)
  const results = createResultsRepo(db)
  const resumePoints = createResumePointsRepo(db)
  const datasets = createDatasetsRepo(db)
  return {
    runs: createRunsRepo(db, { epochs, results, resumePoints, datasets }),
    epochs,
    results,
    modelFiles: createModelFilesRepo(db),
    resumePoints,
    groups: createGroupsRepo(db),
    sweeps: createSweepsRepo(db),
    datasets
  }
}

/** The asynchronous face of one synchronous repository: each method runs through `run`. */
function asyncRepo<T>(repo: Sync<T>, run: Runner): T {
  const out: Record<string, unknown> = {}
  for (const [name, method] of Object.entries(repo as Record<string, unknown>)) {
    if (typeof method === 'function') out[name] = (...args: unknown[]) => run(() => (method as (...a: unknown[]) => unknown)(...args))
  }
  return out as T
}

function asyncRepos(repos: SyncRepos, run: Runner): StoreRepos {
  return {
    runs: asyncRepo(repos.runs, run),
    epochs: asyncRepo(repos.epochs, run),
    results: asyncRepo(repos.results, run),
    modelFiles: asyncRepo(repos.modelFiles, run),
    resumePoints: asyncRepo(repos.resumePoints, run),
    groups: asyncRepo(repos.groups, run),
    sweeps: asyncRepo(repos.sweeps, run),
    datasets: asyncRepo(repos.datasets, run)
  }
}

/** Opens (creating and migrating if needed) the SQLite run database at `path`, or `':memory:'`. */
export async function openSqliteStore(path: string): Promise<RunStore> {
  const db = openDatabase(path)
  const lock = createLock()
  const repos = syncRepos(db)
  const begin = db.prepare('BEGIN IMMEDIATE')
  const commit = db.prepare('COMMIT')
  const rollback = db.prepare('ROLLBACK')
  let closing: Promise<void> | null = null
  // Set while a transaction's callback runs: a call on the store itself from there would wait for the
  // transaction to end, which waits for the call. It fails at once instead of hanging.
  const insideTransaction = new AsyncLocalStorage<true>()
  const outside: Runner = (call) => {
    if (insideTransaction.getStore()) {
      return Promise.reject(new Error('A store call inside store.transaction() must go through its repositories (tx), not the store.'))
    }
    return lock(call)
  }

  const store: RunStore = {
    engine: 'sqlite',
    location: path === ':memory:' ? path : resolve(path),
    ...asyncRepos(repos, outside),
    transaction<T>(fn: (tx: StoreRepos) => Promise<T>): Promise<T> {
      return outside(async () => {
        let open = true
        // Inside the lock already: the transaction's repositories call straight through, and refuse
        // once it has ended (a leaked handle would otherwise write outside any transaction).
        const tx = asyncRepos(repos, async (call) => {
          if (!open) throw new Error('A store transaction was used after it ended; use the store itself instead.')
          return call()
        })
        begin.run()
        try {
          const result = await insideTransaction.run(true, () => fn(tx))
          open = false
          commit.run()
          return result
        } catch (error) {
          open = false
          // SQLite may have rolled back already (a full disk, for instance).
          if (db.inTransaction) rollback.run()
          throw error
        }
      })
    },
    dataVersion: () => outside(() => db.pragma('data_version', { simple: true }) as number),
    close() {
      closing ??= outside(() => {
        if (db.open) db.close()
      })
      return closing
    }
  }
  registerSqliteHandle(store, db)
  return store
}
