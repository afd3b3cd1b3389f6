import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DbError } from '@main/core/store'
import { applyMigrations } from '@main/core/store/connection'
import { MIGRATIONS } from '@main/core/store/migrations'
import { openPostgresPool, SCHEMA_VERSION } from '@main/core/store/postgres-connection'
import { POSTGRES_BASE_VERSION, POSTGRES_STEPS } from '@main/core/store/postgres-migrations'
import { parseStoreLocation, type PostgresLocation } from '@main/core/store/store-location'
import { asAdmin, freshDatabase, postgresMissing, postgresUrl, urlWith } from './databases'

const at = (url: string): PostgresLocation => parseStoreLocation(url) as PostgresLocation

/** The DbError `fn` rejects with (fails the test when it resolves). */
async function refusal(fn: () => Promise<unknown>): Promise<DbError> {
  const error = await fn().then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(DbError)
  return error as DbError
}

describe.skipIf(!postgresUrl)(`PostgreSQL run store connection${postgresUrl ? '' : ` (skipped: ${postgresMissing})`}`, () => {
  const password = new URL(postgresUrl ?? 'postgres://x:y@h/d').password
  const databases: Array<() => Promise<void>> = []
  const pools: pg.Pool[] = []
  let url = ''

  beforeAll(async () => {
    const db = await freshDatabase()
    databases.push(db.drop)
    url = db.url
  })
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()))
    for (const drop of databases) await drop()
  })

  async function open(u: string): Promise<pg.Pool> {
    const pool = await openPostgresPool(at(u))
    pools.push(pool)
    return pool
  }

  it('creates the schema at the version SQLite is at, with a store id, in one go', async () => {
    const pool = await open(url)
    const version = await pool.query('SELECT version FROM atelier_schema')
    expect(version.rows).toEqual([{ version: SCHEMA_VERSION }])
    const id = await pool.query("SELECT value FROM store_meta WHERE key = 'store_id'")
    expect(id.rows[0].value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    // Opening again changes nothing.
    await open(url)
    expect((await pool.query("SELECT count(*)::int AS n FROM store_meta WHERE key = 'store_id'")).rows[0].n).toBe(1)
  })

  it('has every table and column the SQLite schema has, and its steps end at the SQLite version', async () => {
    expect(POSTGRES_BASE_VERSION + POSTGRES_STEPS.length).toBe(MIGRATIONS.length)
    const sqlite = new BetterSqlite3(':memory:')
    applyMigrations(sqlite, { path: ':memory:', migrations: MIGRATIONS })
    const tables = (
      sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string
      }[]
    ).map((t) => t.name)
    const expected = Object.fromEntries(
      tables.map((t) => [t, (sqlite.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name).sort()])
    )
    sqlite.close()
    const pool = await open(url)
    const rows = await pool.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'atelier_schema'"
    )
    // Columns only PostgreSQL has, each standing in for something SQLite provides implicitly.
    const postgresOnly: Record<string, string[]> = {
      // SQLite's rowid: the order resume points were recorded in.
      resume_points: ['seq']
    }
    const actual: Record<string, string[]> = {}
    for (const r of rows.rows) {
      if (!postgresOnly[r.table_name]?.includes(r.column_name)) (actual[r.table_name] ??= []).push(r.column_name)
    }
    for (const t of Object.keys(actual)) actual[t]!.sort()
    expect(actual).toEqual(expected)
  })

  it('keeps SQLite semantics the repositories rely on: version bump, NaN, 64-bit floats, bytes, ids never reused', async () => {
    const pool = await open(url)
    const insert = await pool.query<{ id: number }>(
      `INSERT INTO runs (name, preset, hparams, created_at, app_version, seed, epochs_planned)
       VALUES ('a', 'dense', '{}', '2026-12-05T00:00:00Z', '0', 4294967296, 1) RETURNING id`
    )
    const id = insert.rows[0]!.id
    expect(typeof id).toBe('number')
    await pool.query('UPDATE runs SET notes = $1, best_val_accuracy = $2 WHERE id = $3', ['n', 0.1 + 0.2, id])
    await pool.query('UPDATE runs SET notes = $1 WHERE id = $2', ['m', id])
    const run = (await pool.query('SELECT version, seed, best_val_accuracy FROM runs WHERE id = $1', [id])).rows[0]
    expect(run).toEqual({ version: 2, seed: 4294967296, best_val_accuracy: 0.1 + 0.2 })
    await pool.query(`INSERT INTO epochs (run_id, epoch, loss, duration_ms) VALUES ($1, 1, 'NaN', 12.5)`, [id])
    expect((await pool.query('SELECT loss FROM epochs WHERE run_id = $1', [id])).rows[0].loss).toBeNaN()
    const blob = Buffer.from([0, 1, 2, 255, 254])
    await pool.query(`INSERT INTO results (run_id, per_class, confusion, predicted, probabilities) VALUES ($1, '[]', '[]', $2, $2)`, [
      id,
      blob
    ])
    expect((await pool.query('SELECT predicted FROM results WHERE run_id = $1', [id])).rows[0].predicted).toEqual(blob)
    await pool.query('DELETE FROM runs WHERE id = $1', [id])
    const next = await pool.query<{ id: number }>(
      `INSERT INTO runs (name, preset, hparams, created_at, app_version, seed, epochs_planned)
       VALUES ('b', 'dense', '{}', '2026-12-05T00:00:00Z', '0', 1, 1) RETURNING id`
    )
    expect(next.rows[0]!.id).toBeGreaterThan(id)
    await expect(
      pool.query(
        `INSERT INTO runs (name, preset, hparams, created_at, app_version, seed, epochs_planned)
         VALUES ('c', 'dense', 'not json', '2026-12-05T00:00:00Z', '0', 1, 1)`
      )
    ).rejects.toThrow(/json/i)
  })

  it('migrates once when several machines open a new store at the same moment', async () => {
    const db = await freshDatabase()
    databases.push(db.drop)
    const opened = await Promise.all([1, 2, 3, 4].map(() => open(db.url)))
    const ids = await opened[0]!.query("SELECT count(*)::int AS n FROM store_meta WHERE key = 'store_id'")
    expect(ids.rows[0].n).toBe(1)
  })

  it('refuses a store of a newer schema, changing nothing, password masked', async () => {
    const db = await freshDatabase()
    databases.push(db.drop)
    const pool = await open(db.url)
    await pool.query('UPDATE atelier_schema SET version = $1', [SCHEMA_VERSION + 5])
    const error = await refusal(() => openPostgresPool(at(db.url)))
    expect(error.kind).toBe('too-new')
    expect(error.message).toContain(`schema version ${SCHEMA_VERSION + 5}`)
    expect(error.message).toContain(':***@')
    expect(error.message).not.toContain(password)
    expect((await pool.query('SELECT version FROM atelier_schema')).rows[0].version).toBe(SCHEMA_VERSION + 5)
  })

  it('says which part of the URL is wrong: password, database, host and port; never shows the password', async () => {
    const wrong = await refusal(() => openPostgresPool(at(urlWith({ password: 'not-the-password' }))))
    expect(wrong.kind).toBe('unreachable')
    expect(wrong.message).toMatch(/refused the user name or password .*Check the USER:PASSWORD part/)
    expect(wrong.message).not.toContain('not-the-password')

    const missing = await refusal(() => openPostgresPool(at(urlWith({ database: 'no_such_db' }))))
    expect(missing.message).toMatch(/has no such database/)
    expect(missing.message).not.toContain(password)

    const port = new URL(postgresUrl!).port
    const closed = urlWith({}).replace(`:${port}/`, ':1/')
    const unreachable = await refusal(() => openPostgresPool(at(closed)))
    expect(unreachable.message).toMatch(/cannot be reached .*Check the host and port/)
    expect(unreachable.message).not.toContain(password)
  })

  it('honours sslmode from the URL: require refuses a server without SSL, disable connects', async () => {
    const required = await refusal(() => openPostgresPool(at(`${url}?sslmode=require`)))
    expect(required.message).toMatch(/secure connection failed/i)
    expect(required.message).not.toContain(password)
    await open(`${url}?sslmode=disable`)
  })

  it('opens an up-to-date store for a read-only role, which can read but not write', async () => {
    await open(url)
    const role = `ro_${Date.now()}`
    const dbName = new URL(url).pathname.slice(1)
    await asAdmin(async (c) => {
      await c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'viewer-pw'`)
      await c.query(`GRANT CONNECT ON DATABASE ${dbName} TO ${role}`)
    })
    await asAdmin(async (c) => {
      await c.query(`GRANT USAGE ON SCHEMA public TO ${role}`)
      await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`)
    }, dbName)
    const viewer = await open(urlWith({ database: dbName, user: role, password: 'viewer-pw' }))
    expect((await viewer.query('SELECT count(*)::int AS n FROM runs')).rows[0].n).toBeGreaterThanOrEqual(0)
    await expect(viewer.query("UPDATE store_meta SET value = 'x'")).rejects.toThrow(/permission denied/)
  })
})
