/** One helper for the store's multi-statement writes: all of it happens, or none of it. */
import { sql, type Kysely } from 'kysely'
import type { DB } from './tables'

/**
 * Runs `fn` in a transaction; inside a caller's transaction ({@link RunStore.transaction}) in a
 * savepoint instead, so a step that fails and is caught by the caller still leaves nothing behind.
 * One savepoint name serves every level: both engines release and roll back the innermost of that name.
 */
export async function atomic<T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (!db.isTransaction) return db.transaction().execute(fn)
  await sql`SAVEPOINT store_step`.execute(db)
  try {
    const result = await fn(db)
    await sql`RELEASE SAVEPOINT store_step`.execute(db)
    return result
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT store_step`.execute(db)
    await sql`RELEASE SAVEPOINT store_step`.execute(db)
    throw error
  }
}
