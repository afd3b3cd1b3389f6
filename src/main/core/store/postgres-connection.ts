/**
 * Opens a PostgreSQL run store: a connection pool over the URL (its `sslmode` honoured as libpq
 * defines it), a first connection that proves the server is reachable and the password right, and
 * the schema brought up to date under an advisory lock, so two machines starting at once migrate
 * once. Every failure is a {@link DbError} with one message for a person, the password masked.
 */
import pg from 'pg'
import { parse, toClientConfig } from 'pg-connection-string'
import { DbError, reasonOf } from './db-error'
import { MIGRATIONS } from './migrations'
import { POSTGRES_BASE_SCHEMA, POSTGRES_BASE_VERSION, POSTGRES_STEPS, POSTGRES_VERSION_TABLE } from './postgres-migrations'
import { maskSecrets, type PostgresLocation } from './store-location'

/** How long to wait for the server before saying it cannot be reached. */
export const CONNECT_TIMEOUT_MS = 10_000

/** The schema version both engines are at: SQLite's migration count. */
export const SCHEMA_VERSION = MIGRATIONS.length

/** Any 64-bit key: only Atelier's migrations take this advisory lock. */
const MIGRATION_LOCK = 7_215_493_101

/** int8 (seeds, byte counts) and numeric as JS numbers, not strings: Atelier's values fit in 2⁵³. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v)
    return pg.types.getTypeParser(oid, format)
  }
} as pg.CustomTypesConfig

/** Connection settings for the driver from a location: libpq's meaning of `sslmode`, our timeouts and type parsing. */
export function poolConfig(location: PostgresLocation): pg.PoolConfig {
  const config = toClientConfig(parse(location.url, { useLibpqCompat: true })) as pg.PoolConfig
  return {
    ...config,
    types,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'atelier',
    max: 10
  }
}

/**
 * Connects to `location`, checks it, and migrates the schema to {@link SCHEMA_VERSION}.
 * @returns the pool; the caller ends it.
 */
export async function openPostgresPool(location: PostgresLocation): Promise<pg.Pool> {
  let pool: pg.Pool
  try {
    pool = new pg.Pool(poolConfig(location))
  } catch (error) {
    throw connectError(location, error)
  }
  // An idle client losing its connection emits 'error' on the pool; without a listener Node would
  // exit. The next query opens a new connection, and fails with its own clear error if it cannot.
  pool.on('error', () => undefined)
  // A connection lost while checked out (inside a transaction) emits 'error' on its client, which
  // nothing else listens to: without this the process would exit. The query in flight fails instead.
  pool.on('connect', (client) => void client.on('error', () => undefined))
  try {
    await migrate(pool, location)
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw error instanceof DbError ? error : connectError(location, error)
  }
  return pool
}

async function migrate(pool: pg.Pool, location: PostgresLocation): Promise<void> {
  const client = await pool.connect()
  try {
    // Read first, without writing: an up-to-date store opens for a read-only role too.
    if ((await schemaVersion(client, location)) === SCHEMA_VERSION) return
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await client.query(POSTGRES_VERSION_TABLE)
    // Again under the lock: another machine may have migrated meanwhile.
    let version = await schemaVersion(client, location)
    if (version === 0) {
      await client.query(POSTGRES_BASE_SCHEMA)
      version = POSTGRES_BASE_VERSION
    }
    for (; version < SCHEMA_VERSION; version++) {
      await client.query(POSTGRES_STEPS[version - POSTGRES_BASE_VERSION]!)
    }
    await client.query(
      'INSERT INTO atelier_schema (id, version) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version',
      [version]
    )
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    if (error instanceof DbError) throw error
    // Schema statements failing after the connection worked: a migration problem, not a connection one.
    if (isServerError(error) && !CONNECTION_CODES.has(error.code)) {
      throw new DbError(
        `Preparing the PostgreSQL run store at ${location.display} for schema version ${SCHEMA_VERSION} failed ` +
          `(${maskSecrets(reasonOf(error))}). Nothing was changed. Make sure the role may create tables in that database.`,
        { kind: 'migration', path: location.display, cause: error }
      )
    }
    throw error
  } finally {
    client.release()
  }
}

/** The store's schema version (0 for a database Atelier has not used yet); refuses a newer one. */
async function schemaVersion(client: pg.PoolClient, location: PostgresLocation): Promise<number> {
  const exists = await client.query<{ t: string | null }>("SELECT to_regclass('atelier_schema')::text AS t")
  if (!exists.rows[0]?.t) return 0
  const version = (await client.query<{ version: number }>('SELECT version FROM atelier_schema')).rows[0]?.version ?? 0
  if (version > SCHEMA_VERSION) throw tooNew(location, version)
  return version
}

function tooNew(location: PostgresLocation, found: number): DbError {
  return new DbError(
    `The PostgreSQL run store at ${location.display} has schema version ${found}, but this Atelier only knows versions up to ` +
      `${SCHEMA_VERSION}: it was written by a newer Atelier. Nothing was changed. Update Atelier on this machine.`,
    { kind: 'too-new', path: location.display }
  )
}

interface ServerError {
  code: string
  message: string
}

function isServerError(error: unknown): error is ServerError {
  return typeof (error as { code?: unknown } | null)?.code === 'string'
}

/** SQLSTATEs of a connection that was refused by the server: authentication, a missing database, too many clients. */
const CONNECTION_CODES = new Set(['28P01', '28000', '3D000', '53300', '57P03'])

/** A connection failure, as one line saying which part of the URL to check. */
export function connectError(location: PostgresLocation, error: unknown): DbError {
  const code = isServerError(error) ? error.code : ''
  const reason = maskSecrets(reasonOf(error))
  const where = location.display
  const say = (what: string, kind: 'unreachable' | 'unwritable' = 'unreachable'): DbError =>
    new DbError(`${what} Nothing was changed.`, { kind, path: where, cause: error })
  if (code === '28P01' || code === '28000') {
    return say(`PostgreSQL at ${where} refused the user name or password (${reason}). Check the USER:PASSWORD part of the URL.`)
  }
  if (code === '3D000') {
    return say(`PostgreSQL at ${where} has no such database (${reason}). Create it first (createdb NAME) or fix the name after the host.`)
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
    return say(`PostgreSQL at ${where} cannot be reached (${reason}). Check the host and port, and that the server is running.`)
  }
  if (/timeout/i.test(reason)) {
    return say(`PostgreSQL at ${where} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s (${reason}). Check the host and port.`)
  }
  if (/ssl/i.test(reason)) {
    return say(`PostgreSQL at ${where}: the secure connection failed (${reason}). Check sslmode in the URL and the server's SSL settings.`)
  }
  return say(`Atelier cannot use the PostgreSQL run store at ${where} (${reason}).`)
}

/**
 * A write refused for lack of privilege (SQLSTATE 42501) as a DbError for a person: the role may
 * browse the team store but not change it. Any other error is returned unchanged.
 */
export function readOnlyError(location: PostgresLocation, error: unknown): unknown {
  if (!isServerError(error) || error.code !== '42501') return error
  const user = decodeURIComponent(new URL(location.url).username)
  const role = user ? `role "${user}"` : 'this role'
  return new DbError(
    `The team store at ${location.display} is read-only for ${role}: runs can be browsed, compared and exported, ` +
      'but not trained, queued, edited or deleted. Nothing was changed. Ask for a role that may write to the store to do that.',
    { kind: 'read-only', path: location.display, cause: error }
  )
}
