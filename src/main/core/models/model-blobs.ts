/**
 * A team store's model files in its database. On a PostgreSQL store several machines train into one
 * database, so every recorded checkpoint and model is also a blob there (core/blobs, named by the
 * SHA-256 the row records): stored before its row is written, fetched into this machine's run folder
 * when a run trained elsewhere is loaded or resumed here, and swept once no row names it.
 * The local run folder stays where the trainer writes and reads; the database is what every machine shares.
 */
import { copyFileSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type { WrittenModelFile } from '@shared/trainer-protocol'
import { BlobError, type PostgresBlobs } from '@main/core/blobs/postgres-blobs'
import { ensureFolder } from '@main/core/ensure-folder'
import { conflict } from '@main/core/errors'
import type { RunStore } from '@main/core/store'

/**
 * How long a blob no row names is kept: it covers a writer between storing the blob and committing
 * the row that names it (milliseconds, or seconds under load), with a wide margin.
 */
export const BLOB_GRACE_SECONDS = 3600
/**
 * Least time between the sweeps that follow a replaced checkpoint (one per epoch of every run): a blob
 * goes only once it is past the grace period anyway, so sweeping more often would find nothing more.
 */
const SWEEP_EVERY_MS = 10 * 60_000

export interface ModelBlobsOptions {
  blobs: PostgresBlobs
  store: RunStore
  /** Seconds an unnamed blob is kept before a sweep removes it (default {@link BLOB_GRACE_SECONDS}). */
  graceSeconds?: number
}

/** The model store's team-store side; `what` names the run and its file in every message. */
export interface ModelBlobs {
  /** Stores the file at `path` as a blob, refusing it unless its SHA-256 and size are the ones recorded next. */
  publish(what: string, path: string, record: WrittenModelFile): Promise<void>
  /** Puts the blob `sha256` at `path` (atomically, hash-verified); a CoreError naming `what` when the database cannot supply it. */
  fetch(what: string, path: string, sha256: string): Promise<void>
  /** Removes the blobs no row names (past the grace period); returns how many. Calls made while one runs share the next one. */
  sweep(): Promise<number>
  /** {@link sweep} that never rejects: a failure is only logged (the blobs stay, the next sweep takes them). */
  sweepQuietly(): Promise<void>
  /** {@link sweepQuietly}, unless one started less than ten minutes ago (for what happens every epoch). */
  sweepNowAndThen(): void
  /** Resolves when no sweep is running or due. */
  idle(): Promise<void>
}

export function createModelBlobs({ blobs, store, graceSeconds = BLOB_GRACE_SECONDS }: ModelBlobsOptions): ModelBlobs {
  let running: Promise<number> | null = null
  let due: Promise<number> | null = null
  let lastStarted = -Infinity

  async function sweepOnce(): Promise<number> {
    // Names read before the delete: a row recorded meanwhile names a blob stored (or stored again)
    // within the grace period, which the delete leaves alone.
    lastStarted = Date.now()
    const named = new Set<string>()
    for (const record of await store.modelFiles.all()) if (record.sha256) named.add(record.sha256)
    try {
      return await blobs.sweep(named, graceSeconds)
    } catch (error) {
      // A viewer's read-only role (SQLSTATE 42501) removes nothing; the writers' sweeps do.
      if ((error as { code?: unknown } | null)?.code === '42501') return 0
      throw error
    }
  }

  function sweep(): Promise<number> {
    if (!running) {
      running = sweepOnce().finally(() => (running = null))
      return running
    }
    // One more after the running one, which may have read the names before the latest removal.
    due ??= running
      .catch(() => 0)
      .then(() => {
        due = null
        return sweep()
      })
    return due
  }

  async function sweepQuietly(): Promise<void> {
    try {
      await sweep()
    } catch (error) {
      console.warn(`Could not sweep the team store's unused model files (${(error as Error).message}); they stay until the next sweep.`)
    }
  }

  return {
    async publish(what, path, record) {
      let stored: { sha256: string; bytes: number }
      try {
        stored = await blobs.putFile(path)
      } catch (error) {
        throw conflict(
          `${what} (${path}) could not be stored in the team store's database (${(error as Error).message}), so it was not recorded; other machines could not have opened it.`
        )
      }
      if (stored.sha256 !== record.sha256 || stored.bytes !== record.bytes) {
        // The blob just stored is named by no row; a sweep removes it.
        throw conflict(
          `${what} (${path}) is not the file the trainer reported: it has ${stored.bytes} bytes with SHA-256 ${stored.sha256.slice(0, 12)}…, ` +
            `the trainer reported ${record.bytes} bytes with ${record.sha256.slice(0, 12)}…. It was not recorded.`
        )
      }
    },

    async fetch(what, path, sha256) {
      let cached: string
      try {
        cached = await blobs.localPath(sha256)
      } catch (error) {
        if (!(error instanceof BlobError)) throw error
        throw conflict(
          `${what} is not on this machine (${path}), and the team store's database could not supply it: ${error.message} ` +
            'The run and its history were left unchanged, and nothing was written here.'
        )
      }
      // The blob cache is a staging area: the run folder keeps the one local copy.
      ensureFolder(dirname(path))
      try {
        renameSync(cached, path)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EXDEV') {
          const temp = `${path}.${process.pid}.fetch.tmp`
          copyFileSync(cached, temp)
          renameSync(temp, path)
          rmSync(cached, { force: true })
        } else if (code !== 'ENOENT') {
          throw error
        }
        // ENOENT: another load moved the same verified bytes here first (checked by the caller's read).
      }
    },

    sweep,

    sweepQuietly,

    sweepNowAndThen() {
      if (Date.now() - lastStarted >= SWEEP_EVERY_MS) void sweepQuietly()
    },

    async idle() {
      while (running || due) await (due ?? running)!.catch(() => 0)
    }
  }
}
