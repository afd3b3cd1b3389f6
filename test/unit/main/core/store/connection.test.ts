import { chmodSync, existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { applyMigrations, openDatabase } from '@main/core/store/connection'
import { MIGRATIONS } from '@main/core/store/migrations'
import { isWindows, NO_MODE_BITS, NO_PROC, windowsSkip } from '../../../../helpers/platform'
import { makeTempDir, dbErrorOf } from './fixtures/sample-run'
import { describeSqliteOnly } from './fixtures/test-store'

let temp: ReturnType<typeof makeTempDir>
beforeEach(() => {
  temp = makeTempDir()
})
afterEach(() => temp.remove())

const tableNames = (db: BetterSqlite3.Database): string[] =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((r) => r.name)

describeSqliteOnly('openDatabase', () => {
  it('creates missing parent folders and a migrated database in WAL mode with foreign keys on', () => {
    const path = join(temp.dir, 'nested', 'deeper', 'atelier.db')
    const db = openDatabase(path)
    expect(existsSync(path)).toBe(true)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect(tableNames(db)).toEqual([
      'architectures',
      'copied_from',
      'datasets',
      'epochs',
      'groups',
      'model_files',
      'results',
      'resume_points',
      'run_leases',
      'runs',
      'store_meta',
      'sweeps'
    ])
    const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs'").all()
    expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['runs_by_created_at', 'runs_by_status']))
    db.close()
  })

  it('reopens an up-to-date database without migrating again and keeps its rows', () => {
    const path = join(temp.dir, 'atelier.db')
    const first = openDatabase(path)
    first
      .prepare(
        "INSERT INTO runs (name, preset, hparams, created_at, app_version, seed, epochs_planned) VALUES ('kept', 'dense', '{}', '2025-01-01T00:00:00.000Z', '0.1.0', 1, 1)"
      )
      .run()
    first.close()
    const second = openDatabase(path)
    expect(second.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect(second.prepare('SELECT name FROM runs').all()).toEqual([{ name: 'kept' }])
    second.close()
  })

  it('supports a private in-memory database', () => {
    const db = openDatabase(':memory:')
    expect(tableNames(db)).toEqual([
      'architectures',
      'copied_from',
      'datasets',
      'epochs',
      'groups',
      'model_files',
      'results',
      'resume_points',
      'run_leases',
      'runs',
      'store_meta',
      'sweeps'
    ])
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('refuses a database written by a newer app, naming both versions, and leaves it untouched', async () => {
    const path = join(temp.dir, 'future.db')
    const raw = new BetterSqlite3(path)
    raw.pragma(`user_version = ${MIGRATIONS.length + 3}`)
    raw.close()
    const error = await dbErrorOf(() => openDatabase(path))
    expect(error.kind).toBe('too-new')
    expect(error.message).toContain(path)
    expect(error.message).toContain(`version ${MIGRATIONS.length + 3}`)
    expect(error.message).toMatch(/Update Atelier/)
    const check = new BetterSqlite3(path)
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 3)
    expect(tableNames(check)).toEqual([])
    check.close()
  })

  it('reports a file that is not a database as corrupt, with the path and what to do', async () => {
    const path = join(temp.dir, 'atelier.db')
    writeFileSync(path, 'this is a text file that merely has a .db name, not SQLite at all '.repeat(20))
    const error = await dbErrorOf(() => openDatabase(path))
    expect(error.kind).toBe('corrupt')
    expect(error.message).toContain(path)
    expect(error.message).toMatch(/left untouched.*Rename or move it/s)
    expect(error.message).not.toMatch(/\n\s+at /)
  })

  it('reports a path under a regular file as unwritable, naming the path', async () => {
    const file = join(temp.dir, 'not-a-folder')
    writeFileSync(file, 'x')
    const path = join(file, 'atelier.db')
    const error = await dbErrorOf(() => openDatabase(path))
    expect(error.kind).toBe('unwritable')
    expect(error.message).toContain(path)
    expect(error.message).toMatch(/writable.*another data folder/s)
    expect(error.message).not.toMatch(/\n\s+at /)
  })

  it.skipIf(isWindows)(`reports a path in /proc as unwritable${windowsSkip(NO_PROC)}`, async () => {
    const error = await dbErrorOf(() => openDatabase('/proc/x/atelier.db'))
    expect(error.kind).toBe('unwritable')
    expect(error.message).toContain('/proc/x/atelier.db')
  })

  it('reports a folder given as the database path as unwritable', async () => {
    const error = await dbErrorOf(() => openDatabase(temp.dir))
    expect(error.kind).toBe('unwritable')
    expect(error.message).toContain(temp.dir)
  })

  // root ignores permission bits, so this only means something for other users.
  it.skipIf(process.getuid?.() === 0 || isWindows)(
    `reports a read-only folder and file as unwritable${windowsSkip(NO_MODE_BITS)}`,
    async () => {
      const path = join(temp.dir, 'atelier.db')
      openDatabase(path).close()
      chmodSync(path, 0o444)
      chmodSync(temp.dir, 0o555)
      try {
        const error = await dbErrorOf(() => openDatabase(path))
        expect(error.kind).toBe('unwritable')
        expect(error.message).toContain(path)
      } finally {
        chmodSync(temp.dir, 0o755)
      }
    }
  )
})

describeSqliteOnly('applyMigrations', () => {
  const steps = ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (y INTEGER)']

  it('applies steps in order and counts them in user_version', () => {
    const db = new BetterSqlite3(':memory:')
    expect(applyMigrations(db, { path: 'mem', migrations: steps.slice(0, 1) })).toBe(1)
    expect(tableNames(db)).toEqual(['a'])
    expect(applyMigrations(db, { path: 'mem', migrations: steps })).toBe(2)
    expect(tableNames(db)).toEqual(['a', 'b'])
    expect(applyMigrations(db, { path: 'mem', migrations: steps })).toBe(2)
    db.close()
  })

  it('rolls a failing step back entirely and keeps the previous version', async () => {
    const db = new BetterSqlite3(':memory:')
    const broken = [...steps, 'CREATE TABLE c (z INTEGER); INSERT INTO a VALUES (1); SELECT * FROM no_such_table']
    const error = await dbErrorOf(() => applyMigrations(db, { path: '/data/atelier.db', migrations: broken }))
    expect(error.kind).toBe('migration')
    expect(error.message).toContain('/data/atelier.db')
    expect(error.message).toContain('schema version 3')
    expect(error.message).toContain('left at version 2')
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    expect(tableNames(db)).toEqual(['a', 'b'])
    expect(db.prepare('SELECT count(*) AS n FROM a').get()).toEqual({ n: 0 })
    db.close()
  })
})
