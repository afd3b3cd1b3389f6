import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listenForChanges, type ChangeFeed } from '@main/core/store/postgres-changes'
import { openPostgresPool } from '@main/core/store/postgres-connection'
import { parseStoreLocation, type PostgresLocation } from '@main/core/store/store-location'
import { asAdmin, freshDatabase, postgresMissing, postgresUrl } from './databases'

const waitFor = async (check: () => boolean, timeoutMs: number, what: string): Promise<void> => {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe.skipIf(!postgresUrl)(`changes announced by PostgreSQL${postgresUrl ? '' : ` (skipped: ${postgresMissing})`}`, () => {
  let location: PostgresLocation
  let drop: () => Promise<void>
  let pool: pg.Pool
  let name: string
  const feeds: ChangeFeed[] = []

  beforeAll(async () => {
    const db = await freshDatabase()
    drop = db.drop
    name = db.name
    location = parseStoreLocation(db.url) as PostgresLocation
    pool = await openPostgresPool(location)
  })
  afterAll(async () => {
    await Promise.all(feeds.map((f) => f.close()))
    await pool?.end()
    await drop?.()
  })

  async function feed(): Promise<{ feed: ChangeFeed; seen: number[] }> {
    const f = await listenForChanges(location, { retryMs: 50 })
    feeds.push(f)
    const seen: number[] = []
    f.onRun((id) => seen.push(id))
    return { feed: f, seen }
  }

  const insertRun = async (client: pg.Pool | pg.PoolClient = pool): Promise<number> => {
    const result = await client.query(
      `INSERT INTO runs (name, preset, hparams, created_at, app_version, seed, epochs_planned)
       VALUES ('r', 'dense', '{}', '2026-12-05T00:00:00Z', '0.2.0', 1, 3) RETURNING id`
    )
    return (result.rows[0] as { id: number }).id
  }

  it('announces every committed change to a run, an epoch recorded included, and nothing rolled back', async () => {
    const { feed: f, seen } = await feed()
    const before = f.version()
    const id = await insertRun()
    await waitFor(() => seen.includes(id), 5000, 'the insert')
    await pool.query(`UPDATE runs SET epochs_done = 1 WHERE id = $1`, [id])
    await waitFor(() => seen.filter((x) => x === id).length === 2, 5000, 'the update')

    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      await insertRun(client)
      await client.query('ROLLBACK')
    } finally {
      client.release()
    }
    await pool.query(`DELETE FROM runs WHERE id = $1`, [id])
    await waitFor(() => seen.length === 3, 5000, 'the delete')
    expect(seen).toEqual([id, id, id])
    expect(f.version()).toBe(before + 3)
  })

  it('reconnects after its connection is killed, counting the gap as a change, and hears later changes', async () => {
    const { feed: f, seen } = await feed()
    const before = f.version()
    await asAdmin(
      (c) =>
        c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'atelier-changes' AND datname = $1`, [
          name
        ]),
      name
    )
    await waitFor(() => f.version() >= before + 2 && f.listening(), 10_000, 'the reconnection')
    const id = await insertRun()
    await waitFor(() => seen.includes(id), 5000, 'a change after reconnecting')
  })

  it('hears nothing once closed', async () => {
    const { feed: f, seen } = await feed()
    await f.close()
    const version = f.version()
    await insertRun()
    await new Promise((r) => setTimeout(r, 300))
    expect(seen).toEqual([])
    expect(f.version()).toBe(version)
    expect(f.listening()).toBe(false)
  })
})
