/** What went wrong with the run database, so callers can react without parsing messages. */
export type DbErrorKind =
  /** The file or its folder cannot be created, opened or written. */
  | 'unwritable'
  /** A database server cannot be reached, or refused the connection (password, database name, SSL). */
  | 'unreachable'
  /** A `--db` value that is neither a usable file path nor a well-formed `postgres://` URL. */
  | 'bad-location'
  /** The file exists but is not a readable SQLite database. */
  | 'corrupt'
  /** The file was written by a newer Atelier with a schema this build does not know. */
  | 'too-new'
  /** A schema migration failed; the database was left at its previous version. */
  | 'migration'
  /** No run has the requested id. */
  | 'not-found'
  /** The run is not in a status that allows the change (e.g. finishing a finished run). */
  | 'invalid-state'
  /** A stored row cannot be read back as the shared types (hand-edited or damaged). */
  | 'bad-row'
  /** The value handed to the repository is not storable (e.g. predictions of the wrong size). */
  | 'bad-input'
  /** The database role may read the store but not change it (a viewer's role on a team store). */
  | 'read-only'

/** Options of a {@link DbError}. */
export interface DbErrorOptions {
  kind: DbErrorKind
  /** Database file (or masked database URL) the error concerns, when known. */
  path?: string
  /** Run the error concerns, when known. */
  runId?: number
  /** The underlying error (SQLite or file system), kept for logs. */
  cause?: unknown
}

/**
 * An error of the run database whose message is written for a person: what happened,
 * what was kept, what to do next. The raw cause stays in `cause` for logs.
 */
export class DbError extends Error {
  readonly kind: DbErrorKind
  readonly path: string | undefined
  readonly runId: number | undefined

  constructor(message: string, options: DbErrorOptions) {
    super(message, { cause: options.cause })
    this.name = 'DbError'
    this.kind = options.kind
    this.path = options.path
    this.runId = options.runId
  }
}

/** The one-line reason of an unknown thrown value, for embedding in a message. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}

/** SQLSTATEs and socket errors of a connection the server or the network ended (the next query reconnects). */
const LOST_CONNECTION = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT'
])

/**
 * Whether a store call failed because its database connection was lost (a server restart, a killed
 * backend, a network cut) rather than because of what it asked: worth trying again on a new connection.
 */
export function isLostConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && LOST_CONNECTION.has(code)) return true
  return error instanceof Error && /connection terminated|terminating connection|Connection ended/i.test(error.message)
}
