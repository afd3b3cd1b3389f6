/** A viewer whose database role may only read the team store: it browses, and every change is refused with one clear message. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { RunSummary } from '@shared/run'
import { defaultHparams } from '@shared/hparams'
import { createCore, forkTrainer, type Core, type CoreOptions } from '@main/core/core'
import { DbError, openRunStore } from '@main/core/store'
import { asAdmin, freshDatabase, postgresMissing, postgresUrl, urlWith } from './databases'

const work = mkdtempSync(join(tmpdir(), 'atelier-viewer-'))
const coreOptions = (dbPath: string, machine: string): CoreOptions => ({
  dataDir: join(work, machine, 'fashion'),
  dbPath,
  appVersion: 't',
  settingsPath: null,
  modelsDir: join(work, machine, 'models'),
  datasetsDir: join(work, machine, 'datasets'),
  spawnTrainer: forkTrainer,
  dialogs: { saveFile: async () => null, openFolder: async () => null },
  watchIntervalMs: 0
})

describe.skipIf(!postgresUrl)(`a read-only role on a team store${postgresUrl ? '' : ` (skipped: ${postgresMissing})`}`, () => {
  let db: { name: string; url: string; drop: () => Promise<void> }
  let viewerUrl: string
  let runId: number

  beforeAll(async () => {
    db = await freshDatabase()
    // The team's store, made (and written) by a role that may write: an app or worker, which also made the blob schema.
    const writer = await createCore(coreOptions(db.url, 'writer'))
    runId = (await writer.store.runs.insert({ name: 'trained by the team', hparams: defaultHparams('dense'), appVersion: 't' })).id
    await writer.shutdown({ cancelRunning: true })
    const role = `viewer_${db.name}`.slice(0, 60)
    await asAdmin(async (c) => {
      await c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'view-only-pw'`)
      await c.query(`GRANT CONNECT ON DATABASE ${db.name} TO ${role}`)
    })
    await asAdmin(async (c) => {
      await c.query(`GRANT USAGE ON SCHEMA public TO ${role}`)
      await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`)
      await c.query(`GRANT USAGE ON SCHEMA atelier_blobs TO ${role}`)
      await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA atelier_blobs TO ${role}`)
    }, db.name)
    viewerUrl = urlWith({ database: db.name, user: role, password: 'view-only-pw' })
  })
  afterAll(async () => {
    await db?.drop()
    rmSync(work, { recursive: true, force: true })
  })

  it('opens and lists, and refuses a write with a DbError saying the role is read-only, without the password', async () => {
    const store = await openRunStore(viewerUrl)
    try {
      expect((await store.runs.list()).map((r) => r.id)).toEqual([runId])
      const error = await store.runs.update(runId, { name: 'renamed' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DbError)
      expect((error as DbError).kind).toBe('read-only')
      expect((error as DbError).message).toMatch(/read-only for role "viewer_.*": runs can be browsed/)
      expect((error as DbError).message).not.toContain('view-only-pw')
      const inTransaction = await store.transaction((tx) => tx.runs.delete([runId])).catch((e: unknown) => e)
      expect((inTransaction as DbError).kind).toBe('read-only')
      expect((await store.runs.get(runId))?.name).toBe('trained by the team')
    } finally {
      await store.close()
    }
  })

  it('lets the app open the store as a viewer; starting a run answers with that message and records nothing', async () => {
    const warn = vi.spyOn(console, 'warn')
    const core: Core = await createCore(coreOptions(viewerUrl, 'viewer'))
    // Nothing to tidy is refused loudly: a viewer's start is quiet.
    expect(warn).not.toHaveBeenCalled()
    try {
      const listed = await core.route('runs.list', {})
      expect(listed.ok && (listed.data as RunSummary[]).map((r) => r.id)).toEqual([runId])
      const renamed = await core.route('runs.update', { id: runId, name: 'x' })
      expect(renamed).toMatchObject({ ok: false, error: { code: 'conflict' } })
      expect(!renamed.ok && renamed.error.message).toMatch(/read-only/)
    } finally {
      await core.shutdown({ cancelRunning: true })
    }
  })
})
