/**
 * The `run_leases` table: which worker trains a run of a team store, until when. A worker claims a
 * run's lease before it trains it and renews it while it does; every write it makes for the run
 * renews the lease in the same transaction, and fails when another worker has taken it meanwhile
 * (fencing): a stalled worker that wakes up after its run moved on writes nothing. Times come from
 * the database's clock ({@link StoreDialect.nowMs}).
 */
import { sql, type Kysely } from 'kysely'
import { CHANGES_CHANNEL } from './postgres-changes'
import type { StoreDialect } from './store-dialect'
import type { DB } from './tables'

/** A run's lease as the database holds it. */
export interface RunLease {
  runId: number
  owner: string
  /** Milliseconds left before it expires (negative once it has). */
  remainingMs: number
  /** Someone asked the owner to cancel the run. */
  cancelRequested: boolean
}

/** What renewing a lease found. */
export interface LeaseRenewal {
  /** The owner still holds the lease (now extended); false when it expired and another worker took it, or it was released. */
  held: boolean
  /** A cancel was asked of the run: the owner stops it at its next batch. */
  cancelRequested: boolean
}

export interface LeasesRepo {
  /**
   * Takes the run's lease for `owner` for `ms` when nobody holds it, it has expired, or `owner`
   * holds it already (a cancel asked of an earlier holder is kept). Returns whether `owner` holds it now.
   */
  claim(runId: number, owner: string, ms: number): Promise<boolean>
  /**
   * Extends `owner`'s lease by `ms` from now if it still holds it. Inside a transaction the lease's
   * row stays locked until the commit, so no claim slips between this check and the writes after it.
   */
  renew(runId: number, owner: string, ms: number): Promise<LeaseRenewal>
  /** Gives the lease up (a no-op when `owner` does not hold it). */
  release(runId: number, owner: string): Promise<void>
  /** Asks the lease's holder to cancel the run; false when the run has no lease (nobody trains it). */
  requestCancel(runId: number): Promise<boolean>
  /** The run's lease, or null. */
  get(runId: number): Promise<RunLease | null>
  /** Every lease, for the Workers view. */
  list(): Promise<RunLease[]>
}

export function createLeasesRepo(db: Kysely<DB>, dialect: StoreDialect): LeasesRepo {
  const { nowMs } = dialect
  const select = () =>
    db
      .selectFrom('run_leases')
      .select(['run_id', 'owner', 'cancel_requested'])
      .select((eb) => eb(eb.ref('until_ms'), '-', nowMs).as('remaining'))
  const toLease = (r: { run_id: number; owner: string; cancel_requested: number; remaining: number }): RunLease => ({
    runId: r.run_id,
    owner: r.owner,
    remainingMs: Number(r.remaining),
    cancelRequested: r.cancel_requested === 1
  })
  return {
    async claim(runId, owner, ms) {
      const row = await db
        .insertInto('run_leases')
        .values((eb) => ({ run_id: runId, owner, until_ms: eb(nowMs, '+', ms) }))
        .onConflict((oc) =>
          oc
            .column('run_id')
            .doUpdateSet((eb) => ({
              owner: eb.ref('excluded.owner'),
              // A cancel asked of a worker that died stays asked of the next one (cancel_requested is kept).
              until_ms: eb.ref('excluded.until_ms')
            }))
            .where((eb) => eb.or([eb('run_leases.owner', '=', owner), eb('run_leases.until_ms', '<', nowMs)]))
        )
        .returning('owner')
        .executeTakeFirst()
      return row?.owner === owner
    },
    async renew(runId, owner, ms) {
      const row = await db
        .updateTable('run_leases')
        .set((eb) => ({ until_ms: eb(nowMs, '+', ms) }))
        .where('run_id', '=', runId)
        .where('owner', '=', owner)
        .returning('cancel_requested')
        .executeTakeFirst()
      return { held: row !== undefined, cancelRequested: row?.cancel_requested === 1 }
    },
    async release(runId, owner) {
      await db.deleteFrom('run_leases').where('run_id', '=', runId).where('owner', '=', owner).execute()
    },
    async requestCancel(runId) {
      const result = await db.updateTable('run_leases').set({ cancel_requested: 1 }).where('run_id', '=', runId).executeTakeFirst()
      const asked = Number(result.numUpdatedRows) > 0
      // On PostgreSQL the holder hears of it at once on the change feed (postgres-changes.ts) instead
      // of at its next renewal: a cancel reaches a remote worker within a batch or two.
      if (asked && dialect.engine === 'postgres') await sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${String(runId)})`.execute(db)
      return asked
    },
    async get(runId) {
      const row = await select().where('run_id', '=', runId).executeTakeFirst()
      return row ? toLease(row) : null
    },
    async list() {
      return (await select().orderBy('run_id').execute()).map(toLease)
    }
  }
}
