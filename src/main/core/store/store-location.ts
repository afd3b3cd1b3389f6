/**
 * Where a run store lives: a SQLite file (the default, one person on one machine) or a PostgreSQL
 * database named by a `postgres://` URL (a team's shared store). Passwords in such URLs never
 * reach a log, an error message, the UI or command output: {@link maskSecrets} hides them.
 */
import { DbError } from './db-error'

/** A SQLite file (or `':memory:'`). */
export interface SqliteLocation {
  engine: 'sqlite'
  path: string
}

/** A PostgreSQL database. */
export interface PostgresLocation {
  engine: 'postgres'
  /** The URL as given, password included: only ever handed to the driver. */
  url: string
  /** The URL with its password masked, for every message a person or a log sees. */
  display: string
}

export type StoreLocation = SqliteLocation | PostgresLocation

const POSTGRES_SCHEME = /^postgres(?:ql)?:\/\//i
/** Any URL's `user:password@` part: the password is what follows the first `:` of the user info. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@/?#\s]*)@/gi

/** `postgres://ann:s3cret@db/atelier` → `postgres://ann:***@db/atelier`, in any text (URLs anywhere in it). */
export function maskSecrets(text: string): string {
  return text.replace(URL_PASSWORD, '$1:***@')
}

/** Whether a `--db` value names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(value: string): boolean {
  return POSTGRES_SCHEME.test(value.trim())
}

/**
 * Reads a `--db` / `ATELIER_DB` value. A `postgres://` or `postgresql://` URL must have a host and
 * a database name; anything else is a SQLite path. A malformed URL is a {@link DbError} of kind
 * `bad-location` naming the masked URL and the expected shape.
 */
export function parseStoreLocation(value: string): StoreLocation {
  const trimmed = value.trim()
  if (!isPostgresUrl(trimmed)) return { engine: 'sqlite', path: value }
  const display = maskSecrets(trimmed)
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    throw badUrl(display, 'it is not a valid URL')
  }
  if (!url.hostname) throw badUrl(display, 'it names no host')
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''))
  if (!database) throw badUrl(display, 'it names no database (add /NAME after the host)')
  if (database.includes('/')) throw badUrl(display, `"${database}" is not a database name`)
  const sslmode = url.searchParams.get('sslmode')
  if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
    throw badUrl(display, `sslmode=${sslmode} is not one of ${SSL_MODES.join(', ')}`)
  }
  return { engine: 'postgres', url: trimmed, display }
}

/**
 * The `sslmode` values honoured as libpq defines them: `disable` (plain), `require` (encrypted, the
 * certificate not checked unless `sslrootcert` is given), `verify-ca` (signed by `sslrootcert`'s CA),
 * `verify-full` (and issued for the host). libpq's `allow` and `prefer` fall back to a plain
 * connection, which the driver cannot do, so they are refused rather than silently changed.
 */
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full']

function badUrl(display: string, why: string): DbError {
  return new DbError(
    `The database URL ${display} cannot be used: ${why}. ` +
      'Write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE (optionally ?sslmode=require); nothing was changed.',
    { kind: 'bad-location', path: display }
  )
}
