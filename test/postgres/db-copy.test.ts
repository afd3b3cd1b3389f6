/**
 * `db copy`: runs trained in a SQLite store go to a team store and back, with their history, test
 * results, groups and model files; copying again adds nothing; the copies' models load elsewhere.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRunStore } from '@main/core/store'
import { runCli } from '../helpers/run-cli'
import { realDataDir } from '../helpers/real-data'
import { freshDatabase, postgresMissing, postgresUrl } from './databases'

const { dir: dataDir, reason } = realDataDir()
const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'architectures')
const PASSWORD = new URL(postgresUrl ?? 'postgres://x:y@h/d').password

describe.skipIf(!postgresUrl || !dataDir)(
  `db copy between SQLite and PostgreSQL${postgresUrl ? reason : ` (skipped: ${postgresMissing})`}`,
  () => {
    const work = mkdtempSync(join(tmpdir(), 'atelier-copy-'))
    const machine = (name: string) => ({ ATELIER_USER_DATA_DIR: join(work, name), ATELIER_DATASETS_DIR: join(work, name, 'datasets') })
    const cli = (args: string[], on = 'laptop') => runCli([...args, '--data', dataDir!], machine(on))
    const laptop = join(work, 'laptop', 'atelier.db')
    const back = join(work, 'elsewhere', 'atelier.db')
    let url: string
    let drop: () => Promise<void>

    beforeAll(async () => {
      const db = await freshDatabase()
      url = db.url
      drop = db.drop
    })
    afterAll(async () => {
      rmSync(work, { recursive: true, force: true })
      await drop?.()
    })

    it('copies a group of trained runs to PostgreSQL and back, once, and the copies keep working', async () => {
      const trained = await cli(['train', '--model', 'dense', '--epochs', '2', '--subset', '600', '--repeats', '2', '--db', laptop])
      expect(trained.code, trained.stderr).toBe(0)

      const saved = await cli(['arch', 'save', join(EXAMPLES, 'small-resnet.json'), '--db', laptop])
      expect(saved.code, saved.stderr).toBe(0)

      const there = await cli(['db', 'copy', '--from', laptop, '--to', url, '--json'])
      expect(there.code, there.stderr).toBe(0)
      expect(JSON.parse(there.stdout)).toMatchObject({
        copied: 2,
        already: 0,
        groups: 1,
        epochs: 4,
        modelFiles: 4,
        notEnded: [],
        architectures: 1
      })
      for (const out of [there.stdout, there.stderr]) expect(out).not.toContain(PASSWORD)

      const again = await cli(['db', 'copy', '--from', laptop, '--to', url])
      expect(again.code, again.stderr).toBe(0)
      expect(again.stdout).toContain('0 runs copied')
      expect(again.stdout).toContain('2 already there')
      expect(again.stdout).toContain('0 saved architecture versions')

      const [source, team] = [await openRunStore(laptop), await openRunStore(url)]
      try {
        expect(await team.runs.list()).toHaveLength(2)
        expect(await team.groups.list()).toHaveLength(1)
        for (const original of await source.runs.list()) {
          const copy = (await team.runs.list()).find((r) => r.name === original.name)!
          const [a, b] = [await source.runs.get(original.id), await team.runs.get(copy.id)]
          expect(b!.history).toEqual(a!.history)
          expect(b!.metrics).toEqual(a!.metrics)
          expect(b!.status).toBe('completed')
          expect((await team.results.getPredictions(copy.id))!.predicted).toEqual(
            (await source.results.getPredictions(original.id))!.predicted
          )
        }
      } finally {
        await source.close()
        await team.close()
      }

      // Another machine (its own empty folders) exports a copied model: its files came through the database.
      const exported = await cli(['export', '1', '--model', join(work, 'export'), '--format', 'onnx', '--db', url], 'workstation')
      expect(exported.code, exported.stderr).toBe(0)

      // And back into a fresh SQLite store somewhere else.
      const home = await cli(['db', 'copy', '--from', url, '--to', back, '--json'], 'elsewhere')
      expect(home.code, home.stderr).toBe(0)
      expect(JSON.parse(home.stdout)).toMatchObject({ copied: 2, groups: 1, modelFiles: 4 })
      const shown = await cli(['show', '2', '--json', '--db', back], 'elsewhere')
      expect(shown.code, shown.stderr).toBe(0)
      expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'completed' })
      // Its model file was made out to this store and run: it loads (and exports) here.
      const local = await cli(['export', '2', '--model', join(work, 'export-back'), '--format', 'tfjs', '--db', back], 'elsewhere')
      expect(local.code, local.stderr).toBe(0)
    }, 240_000)

    it('refuses bad input with one line and exit 2, changing nothing', async () => {
      const missing = await cli(['db', 'copy', '--from', laptop])
      expect(missing.code).toBe(2)
      expect(missing.stderr).toMatch(/needs --from FILE\|URL and --to/)
      const same = await cli(['db', 'copy', '--from', laptop, '--to', laptop])
      expect(same.code).toBe(2)
      const wrong = await cli(['db', 'copy', '--from', laptop, '--to', url.replace(PASSWORD, 'wrong-password')])
      expect(wrong.code).toBe(2)
      expect(wrong.stderr).not.toContain('wrong-password')
    })
  }
)
