import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli'
import { realDataDir } from '../helpers/real-data'
import { freshDatabase, postgresMissing, postgresUrl, urlWith } from './databases'

const { dir: dataDir, reason } = realDataDir()
const PASSWORD = new URL(postgresUrl ?? 'postgres://x:y@h/d').password

describe.skipIf(!postgresUrl || !dataDir)(`the CLI on a PostgreSQL store${postgresUrl ? reason : ` (skipped: ${postgresMissing})`}`, () => {
  const work = mkdtempSync(join(tmpdir(), 'atelier-cli-pg-'))
  const env = { ATELIER_DATASETS_DIR: join(work, 'datasets'), ATELIER_USER_DATA_DIR: join(work, 'user') }
  let url: string
  let drop: () => Promise<void>
  const cli = (args: string[], db = url) => runCli([...args, '--db', db, '--data', dataDir!], env)

  beforeAll(async () => {
    const db = await freshDatabase()
    url = db.url
    drop = db.drop
  })
  afterAll(async () => {
    rmSync(work, { recursive: true, force: true })
    await drop?.()
  })

  it('trains a run into PostgreSQL, lists and shows it, and never prints the password', async () => {
    const trained = await cli(['train', '--model', 'dense', '--epochs', '2', '--subset', '600', '--seed', '3'])
    expect(trained.stderr).not.toContain(PASSWORD)
    expect(trained.code, trained.stderr).toBe(0)
    expect(trained.stdout).not.toContain(PASSWORD)

    const shown = await cli(['show', '1', '--json'])
    expect(shown.code, shown.stderr).toBe(0)
    const run = JSON.parse(shown.stdout) as { status: string; history: unknown[]; preset: string }
    expect(run).toMatchObject({ status: 'completed', preset: 'dense' })
    expect(run.history).toHaveLength(2)

    const listed = await cli(['list'])
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toMatch(/completed/)
    for (const out of [shown.stdout, shown.stderr, listed.stdout, listed.stderr]) expect(out).not.toContain(PASSWORD)

    // Its local files went to this machine's team-stores folder, not to a path made of the URL.
    expect(readdirSync(join(work, 'user', 'team-stores'))).toContain('models')
    expect(existsSync(resolve('postgres:'))).toBe(false)

    // Another machine, with none of this one's files, exports the model this one trained: from the database.
    const elsewhere = { ...env, ATELIER_USER_DATA_DIR: join(work, 'other-machine') }
    const exportDir = join(work, 'export')
    const exported = await runCli(['export', '1', '--model', exportDir, '--format', 'tfjs', '--db', url, '--data', dataDir!], elsewhere)
    expect(exported.code, exported.stderr).toBe(0)
    expect(readdirSync(exportDir)).toContain('model.json')
  })

  it('refuses a wrong password in one line with exit 2, the password masked', async () => {
    const wrong = urlWith({ password: 'not-the-password-91f2' }).replace(/\/[^/]*$/, `/${new URL(url).pathname.slice(1)}`)
    const result = await cli(['list'], wrong)
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/password/i)
    expect(result.stderr).not.toContain('not-the-password-91f2')
  })
})
