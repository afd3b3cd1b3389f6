import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BLOB_SCHEMA, CHUNK_BYTES, createPostgresBlobs, ensureBlobSchema, type PostgresBlobs } from '@main/core/blobs/postgres-blobs'
import { freshDatabase, postgresMissing, postgresUrl } from './databases'

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

describe.skipIf(!postgresUrl)(`model files as chunked bytea${postgresUrl ? '' : ` (skipped: ${postgresMissing})`}`, () => {
  let drop: () => Promise<void>
  let url: string
  const pools: pg.Pool[] = []
  let dir: string

  beforeAll(async () => {
    const db = await freshDatabase()
    drop = db.drop
    url = db.url
    dir = mkdtempSync(join(tmpdir(), 'atelier-blobs-'))
  })
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()))
    rmSync(dir, { recursive: true, force: true })
    await drop?.()
  })

  /** One machine: its own pool and its own cache folder. */
  async function machine(name: string): Promise<{ blobs: PostgresBlobs; pool: pg.Pool; cacheDir: string }> {
    const pool = new pg.Pool({ connectionString: url, max: 3 })
    pool.on('error', () => undefined)
    pools.push(pool)
    await ensureBlobSchema(pool)
    const cacheDir = join(dir, `cache-${name}`)
    return { blobs: createPostgresBlobs({ pool, cacheDir }), pool, cacheDir }
  }

  function file(name: string, bytes: Uint8Array): string {
    const path = join(dir, name)
    writeFileSync(path, bytes)
    return path
  }

  it('stores a multi-chunk file once and gives it back, verified, on another machine', async () => {
    const a = await machine('a')
    const b = await machine('b')
    const bytes = randomBytes(CHUNK_BYTES * 2 + 12_345)
    const stored = await a.blobs.putFile(file('ckpt.bin', bytes))
    expect(stored).toEqual({ sha256: sha(bytes), bytes: bytes.length, stored: true })
    const rows = await a.pool.query(`SELECT count(*)::int AS n FROM ${BLOB_SCHEMA}.chunks WHERE sha256 = $1`, [stored.sha256])
    expect(rows.rows[0].n).toBe(3)

    const path = await b.blobs.localPath(stored.sha256)
    expect(path.startsWith(b.cacheDir)).toBe(true)
    expect(sha(readFileSync(path))).toBe(stored.sha256)
    // The same bytes stored again, from the other machine: nothing new.
    expect(await b.blobs.putFile(file('copy.bin', bytes))).toMatchObject({ stored: false })
    expect(await b.blobs.has(stored.sha256)).toBe(true)
  })

  it('two machines storing the same bytes at once store one blob', async () => {
    const a = await machine('race-a')
    const b = await machine('race-b')
    const bytes = randomBytes(CHUNK_BYTES + 7)
    const [x, y] = await Promise.all([a.blobs.putFile(file('race-a.bin', bytes)), b.blobs.putFile(file('race-b.bin', bytes))])
    expect([x.stored, y.stored].filter(Boolean)).toHaveLength(1)
    const rows = await a.pool.query(`SELECT count(*)::int AS n FROM ${BLOB_SCHEMA}.chunks WHERE sha256 = $1`, [x.sha256])
    expect(rows.rows[0].n).toBe(2)
  })

  it('refuses damaged bytes with a clear error and caches nothing', async () => {
    const a = await machine('damage-a')
    const b = await machine('damage-b')
    const bytes = randomBytes(CHUNK_BYTES + 100)
    const { sha256 } = await a.blobs.putFile(file('damage.bin', bytes))
    await a.pool.query(`UPDATE ${BLOB_SCHEMA}.chunks SET data = $2 WHERE sha256 = $1 AND idx = 1`, [sha256, randomBytes(100)])
    await expect(b.blobs.localPath(sha256)).rejects.toThrow(/is damaged: its \d+ bytes hash to [0-9a-f]{12}…, not to its name/)
    expect(existsSync(join(b.cacheDir, sha256.slice(0, 2), sha256))).toBe(false)

    await a.pool.query(`DELETE FROM ${BLOB_SCHEMA}.chunks WHERE sha256 = $1 AND idx = 0`, [sha256])
    await expect(b.blobs.localPath(sha256)).rejects.toThrow(/lacks chunks 0–1/)
  })

  it('names a missing blob, and refuses what is not a hash', async () => {
    const a = await machine('missing')
    await expect(a.blobs.localPath('0'.repeat(64))).rejects.toThrow(/holds no model file with SHA-256 0{64}/)
    await expect(a.blobs.localPath('../../etc/passwd')).rejects.toThrow(/is not a SHA-256/)
  })

  it('fetches again when the cached copy was cut short', async () => {
    const a = await machine('cache')
    const bytes = randomBytes(5000)
    const { sha256 } = await a.blobs.putFile(file('cache.bin', bytes))
    const path = await a.blobs.localPath(sha256)
    writeFileSync(path, bytes.subarray(0, 100))
    expect(await a.blobs.localPath(sha256)).toBe(path)
    expect(sha(readFileSync(path))).toBe(sha256)
  })

  it('stores an empty file', async () => {
    const a = await machine('empty')
    const { sha256, bytes } = await a.blobs.putFile(file('empty.bin', new Uint8Array(0)))
    expect(bytes).toBe(0)
    expect(readFileSync(await a.blobs.localPath(sha256))).toHaveLength(0)
  })

  it('sweeps blobs nothing names once they are past the grace period', async () => {
    const a = await machine('sweep')
    const kept = await a.blobs.putFile(file('kept.bin', randomBytes(300)))
    const dropped = await a.blobs.putFile(file('dropped.bin', randomBytes(300)))
    const fresh = await a.blobs.putFile(file('fresh.bin', randomBytes(300)))
    await a.pool.query(`UPDATE ${BLOB_SCHEMA}.blobs SET created_at = now() - interval '2 hours' WHERE sha256 = ANY($1)`, [
      [kept.sha256, dropped.sha256]
    ])
    // Everything else this file's tests stored is also unnamed and fresh: only `dropped` is both.
    expect(await a.blobs.sweep(new Set([kept.sha256]), 3600)).toBe(1)
    expect(await a.blobs.has(dropped.sha256)).toBe(false)
    expect(await a.blobs.has(kept.sha256)).toBe(true)
    expect(await a.blobs.has(fresh.sha256)).toBe(true)
    const orphans = await a.pool.query(`SELECT count(*)::int AS n FROM ${BLOB_SCHEMA}.chunks WHERE sha256 = $1`, [dropped.sha256])
    expect(orphans.rows[0].n).toBe(0)
  })

  it('gives a blob stored again a new grace period, so a writer about to name it keeps it', async () => {
    const a = await machine('restore')
    const bytes = randomBytes(400)
    const { sha256 } = await a.blobs.putFile(file('again.bin', bytes))
    await a.pool.query(`UPDATE ${BLOB_SCHEMA}.blobs SET created_at = now() - interval '2 hours' WHERE sha256 = $1`, [sha256])
    expect(await a.blobs.putFile(file('again-2.bin', bytes))).toMatchObject({ sha256, stored: false })
    await a.blobs.sweep(new Set(), 3600)
    expect(await a.blobs.has(sha256)).toBe(true)
  })
})
