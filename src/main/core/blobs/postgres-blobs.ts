/**
 * Model files (checkpoints, final models) kept in the team store's PostgreSQL database, so that every
 * worker and every viewer reads the same bytes. A file is a blob named by its SHA-256, stored as
 * 1 MiB `bytea` chunks in one transaction: a blob is either complete or absent, two machines storing
 * the same bytes store them once, and replacing a run's checkpoint is recording another hash (the old
 * blob goes when nothing names it). Reading verifies the hash and keeps a local copy, so a model is
 * fetched once per machine.
 *
 * Why chunked bytea and not large objects or a bucket: chunks are ordinary rows (dumped, replicated,
 * dropped with the database, readable by a read-only role, no `lo_unlink` bookkeeping), and a team
 * needs no second service to run. Checkpoints here are megabytes, far from where bytea gets awkward.
 */
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type pg from 'pg'
import { ensureFolder } from '@main/core/ensure-folder'

/** The schema the blobs live in, apart from the run store's tables and pg-boss's. */
export const BLOB_SCHEMA = 'atelier_blobs'
/** Bytes per chunk row: small enough to stream, large enough that a checkpoint is a few rows. */
export const CHUNK_BYTES = 1024 * 1024
/** Chunks fetched per query while reading. */
const CHUNKS_PER_READ = 8
/** Any 64-bit key: only this module's schema set-up takes this advisory lock. */
const SCHEMA_LOCK = 7_215_493_102

const SCHEMA_SQL = `
  CREATE SCHEMA IF NOT EXISTS ${BLOB_SCHEMA};
  CREATE TABLE IF NOT EXISTS ${BLOB_SCHEMA}.blobs (
    sha256     text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes      bigint      NOT NULL CHECK (bytes >= 0),
    chunks     integer     NOT NULL CHECK (chunks >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS ${BLOB_SCHEMA}.chunks (
    sha256 text    NOT NULL REFERENCES ${BLOB_SCHEMA}.blobs (sha256) ON DELETE CASCADE,
    idx    integer NOT NULL CHECK (idx >= 0),
    data   bytea   NOT NULL,
    PRIMARY KEY (sha256, idx)
  );
`

/** What went wrong with a blob, for a message to a person. */
export type BlobErrorKind = 'missing' | 'damaged' | 'unreadable'

export class BlobError extends Error {
  constructor(
    readonly kind: BlobErrorKind,
    message: string
  ) {
    super(message)
    this.name = 'BlobError'
  }
}

/** A stored blob: its hash and size. */
export interface BlobRef {
  sha256: string
  bytes: number
}

export interface PostgresBlobs {
  /**
   * Stores a file's bytes (nothing when a blob with its hash is there, but its grace period starts
   * again, see {@link sweep}); the file is read twice, a chunk at a time.
   */
  putFile(path: string): Promise<BlobRef & { stored: boolean }>
  /** Whether a complete blob with this hash is stored. */
  has(sha256: string): Promise<boolean>
  /**
   * A local path holding the blob's bytes, verified against its hash: from this machine's cache, or
   * fetched into it. Throws a {@link BlobError} when the blob is missing or its bytes do not match.
   */
  localPath(sha256: string): Promise<string>
  /**
   * Removes blobs that no hash in `keep` names and that were last stored more than `graceSeconds` ago;
   * returns how many. The grace period covers a writer between storing a blob and recording its name.
   */
  sweep(keep: ReadonlySet<string>, graceSeconds: number): Promise<number>
}

export interface PostgresBlobsOptions {
  pool: pg.Pool
  /** This machine's cache of fetched blobs (for example `<user data>/blob-cache`). */
  cacheDir: string
}

/** Creates the blob schema if needed (under an advisory lock: two machines may start at once). */
export async function ensureBlobSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  try {
    const present = await client.query(`SELECT to_regclass('${BLOB_SCHEMA}.chunks') IS NOT NULL AS present`)
    if ((present.rows[0] as { present: boolean }).present) return
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK])
    await client.query(SCHEMA_SQL)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

const HEX64 = /^[0-9a-f]{64}$/

/** A file's chunks in order, read one at a time. */
async function* chunksOf(path: string): AsyncGenerator<Buffer> {
  const file = await open(path, 'r')
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES)
      let filled = 0
      while (filled < CHUNK_BYTES) {
        const { bytesRead } = await file.read(buffer, filled, CHUNK_BYTES - filled, null)
        if (bytesRead === 0) break
        filled += bytesRead
      }
      if (filled > 0) yield buffer.subarray(0, filled)
      if (filled < CHUNK_BYTES) return
    }
  } finally {
    await file.close()
  }
}

async function fileSha256(path: string): Promise<BlobRef> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of chunksOf(path)) {
    hash.update(chunk)
    bytes += chunk.length
  }
  return { sha256: hash.digest('hex'), bytes }
}

export function createPostgresBlobs({ pool, cacheDir }: PostgresBlobsOptions): PostgresBlobs {
  const cachePath = (sha256: string): string => join(cacheDir, sha256.slice(0, 2), sha256)

  async function has(sha256: string): Promise<boolean> {
    const result = await pool.query(`SELECT 1 FROM ${BLOB_SCHEMA}.blobs WHERE sha256 = $1`, [sha256])
    return result.rowCount === 1
  }

  async function putFile(path: string): Promise<BlobRef & { stored: boolean }> {
    const ref = await fileSha256(path)
    // Stored again: the grace period restarts, so a sweep that read its names before this writer
    // records one cannot remove it meanwhile (the row lock orders this update and the sweep's delete).
    const restamped = await pool.query(`UPDATE ${BLOB_SCHEMA}.blobs SET created_at = now() WHERE sha256 = $1`, [ref.sha256])
    if (restamped.rowCount === 1) return { ...ref, stored: false }
    const chunks = Math.ceil(ref.bytes / CHUNK_BYTES)
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      // A second machine storing the same bytes waits here on the key until this commits, then does nothing.
      const claimed = await client.query(
        `INSERT INTO ${BLOB_SCHEMA}.blobs (sha256, bytes, chunks) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
        [ref.sha256, ref.bytes, chunks]
      )
      if (claimed.rowCount === 0) {
        await client.query('ROLLBACK')
        return { ...ref, stored: false }
      }
      // Read again while inserting: the rows must hold exactly the bytes that were hashed (the file
      // may have changed between the passes; then the transaction rolls back).
      const check = createHash('sha256')
      let pending: Buffer[] = []
      let next = 0
      const flush = async (): Promise<void> => {
        if (pending.length === 0) return
        const params: unknown[] = []
        const values = pending.map((data, i) => {
          params.push(ref.sha256, next + i, data)
          return `($${params.length - 2}, $${params.length - 1}, $${params.length})`
        })
        await client.query(`INSERT INTO ${BLOB_SCHEMA}.chunks (sha256, idx, data) VALUES ${values.join(', ')}`, params)
        next += pending.length
        pending = []
      }
      for await (const chunk of chunksOf(path)) {
        check.update(chunk)
        pending.push(chunk)
        if (pending.length === CHUNKS_PER_READ) await flush()
      }
      await flush()
      if (check.digest('hex') !== ref.sha256 || next !== chunks) {
        throw new BlobError('unreadable', `${path} changed while it was being stored; nothing was stored.`)
      }
      await client.query('COMMIT')
      return { ...ref, stored: true }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
  }

  async function fetchInto(sha256: string, target: string): Promise<void> {
    const head = await pool.query(`SELECT bytes, chunks FROM ${BLOB_SCHEMA}.blobs WHERE sha256 = $1`, [sha256])
    if (head.rowCount === 0) {
      throw new BlobError('missing', `The team store holds no model file with SHA-256 ${sha256} (it was removed, or never stored).`)
    }
    // bigint arrives as a string unless the pool parses it (the store's pool does; a bare one does not).
    const row = head.rows[0] as { bytes: string | number; chunks: number }
    const bytes = Number(row.bytes)
    const chunks = row.chunks
    ensureFolder(dirname(target))
    const temp = `${target}.${randomBytes(6).toString('hex')}.part`
    const hash = createHash('sha256')
    const fd = openSync(temp, 'w')
    let written = 0
    try {
      for (let idx = 0; idx < chunks; idx += CHUNKS_PER_READ) {
        const rows = await pool.query(
          `SELECT idx, data FROM ${BLOB_SCHEMA}.chunks WHERE sha256 = $1 AND idx >= $2 AND idx < $3 ORDER BY idx`,
          [sha256, idx, idx + CHUNKS_PER_READ]
        )
        const expected = Math.min(CHUNKS_PER_READ, chunks - idx)
        if (rows.rowCount !== expected) {
          throw new BlobError('damaged', `The team store's model file ${sha256} lacks chunks ${idx}–${idx + expected - 1}.`)
        }
        for (const row of rows.rows as Array<{ data: Buffer }>) {
          hash.update(row.data)
          writeSync(fd, row.data)
          written += row.data.length
        }
      }
      fsyncSync(fd)
    } catch (error) {
      closeSync(fd)
      rmSync(temp, { force: true })
      throw error
    }
    closeSync(fd)
    const actual = hash.digest('hex')
    if (written !== bytes || actual !== sha256) {
      rmSync(temp, { force: true })
      throw new BlobError(
        'damaged',
        `The team store's model file ${sha256} is damaged: its ${written} bytes hash to ${actual.slice(0, 12)}…, not to its name (${bytes} bytes recorded). Nothing was changed.`
      )
    }
    renameSync(temp, target)
  }

  return {
    putFile,
    has,

    async localPath(sha256: string): Promise<string> {
      if (!HEX64.test(sha256)) throw new BlobError('missing', `"${sha256}" is not a SHA-256 (64 hexadecimal digits).`)
      const target = cachePath(sha256)
      // Cache entries appear only by rename after their hash was checked; a size mismatch means someone touched it.
      if (existsSync(target)) {
        const cached = await pool.query(`SELECT bytes FROM ${BLOB_SCHEMA}.blobs WHERE sha256 = $1`, [sha256])
        const recorded = (cached.rows[0] as { bytes: string | number } | undefined)?.bytes
        if (recorded === undefined || statSync(target).size === Number(recorded)) return target
        rmSync(target, { force: true })
      }
      await fetchInto(sha256, target)
      return target
    },

    async sweep(keep: ReadonlySet<string>, graceSeconds: number): Promise<number> {
      const result = await pool.query(
        `DELETE FROM ${BLOB_SCHEMA}.blobs
         WHERE created_at < now() - make_interval(secs => $1) AND NOT (sha256 = ANY($2::text[]))`,
        [graceSeconds, [...keep]]
      )
      return result.rowCount ?? 0
    }
  }
}
