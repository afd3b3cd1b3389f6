/**
 * Saved architectures on the real CLI: `arch save` (a new version, then "unchanged"), `arch list`,
 * `arch show NAME[@VERSION]`, `train --arch NAME@VERSION` (the run keeps that version even after the
 * name is edited and deleted), `arch delete`, and bad input as one line with exit code 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { realDataDir } from '../helpers/real-data'
import { runCli } from '../helpers/run-cli'

const { dir: realDir, reason } = realDataDir()
const work = mkdtempSync(join(tmpdir(), 'atelier-cli-saved-arch-'))
const db = join(work, 'atelier.db')
const env = { ATELIER_DATASETS_DIR: join(work, 'datasets'), ATELIER_USER_DATA_DIR: join(work, 'user') }
const common = ['--db', db, '--data', realDir ?? join(work, 'fashion')]
const cli = (args: string[]) => runCli([...args, ...common], env)
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A small dense network as a file in the work folder. */
function tinyFile(units: number): string {
  const path = join(work, `tiny-${units}.json`)
  writeFileSync(
    path,
    JSON.stringify({ name: 'tiny', layers: [{ kind: 'flatten' }, { kind: 'dense', units, activation: 'relu' }, { kind: 'output' }] })
  )
  return path
}

describe('CLI saved architectures', () => {
  it('saves versions, lists and shows them, and deletes a name', async () => {
    const first = await cli(['arch', 'save', tinyFile(16)])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toBe('saved tiny v1\n')
    expect((await cli(['arch', 'save', tinyFile(16)])).stdout).toBe('tiny unchanged: the same as its latest version, v1\n')
    expect(JSON.parse((await cli(['arch', 'save', tinyFile(32), '--json'])).stdout)).toEqual({ name: 'tiny', version: 2, created: true })

    const list = await cli(['arch', 'list'])
    expect(list.code, list.stderr).toBe(0)
    // Flatten 784 → dense 32 (25,120) → output 10 (330).
    expect(list.stdout).toMatch(/^saved architectures/m)
    expect(list.stdout).toMatch(/^tiny\s+v2\s+2\s+25,450\s/m)
    const listJson = JSON.parse((await cli(['arch', 'list', '--json'])).stdout)
    expect(listJson.saved).toMatchObject([{ name: 'tiny', version: 2, versions: 2, totalParams: 25_450 }])

    const shown = await cli(['arch', 'show', 'tiny@1'])
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stderr).toMatch(/^tiny v1 of 2, saved /)
    expect(JSON.parse(shown.stdout).layers[1]).toMatchObject({ kind: 'dense', units: 16 })
    expect(JSON.parse((await cli(['arch', 'show', 'tiny', '--json'])).stdout)).toMatchObject({ name: 'tiny', version: 2 })

    const cases: [string[], RegExp][] = [
      [['arch', 'show', 'tiny@7'], /Version 7 of the saved architecture "tiny" does not exist/],
      [['arch', 'show', 'nothing'], /The saved architecture "nothing" does not exist/],
      [['arch', 'save', join(work, 'missing.json')], /cannot read .*missing\.json/],
      [['arch', 'delete', 'nothing'], /The saved architecture "nothing" does not exist/],
      [['train', '--arch', 'nothing', '--epochs', '1'], /--arch nothing: no such file, and no saved architecture "nothing"/]
    ]
    for (const [args, message] of cases) {
      const r = await cli(args)
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.stderr, args.join(' ')).toMatch(message)
    }
    const broken = join(work, 'broken.json')
    writeFileSync(broken, JSON.stringify({ name: 'tiny', layers: [{ kind: 'conv2d', filters: 0, kernel: 3 }] }))
    const refused = await cli(['arch', 'save', broken])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/broken\.json: layer 0 \(conv2d\) field "filters": must be at least 1, not 0/)
    expect(JSON.parse((await cli(['arch', 'list', '--json'])).stdout).saved).toMatchObject([{ name: 'tiny', version: 2 }])
  })

  it.skipIf(!realDir)(`trains a saved version, which the run keeps after the name is edited and deleted${reason}`, async () => {
    const trained = await cli(['train', '--arch', 'tiny@1', '--epochs', '1', '--subset', '300', '--seed', '3', '--json'])
    expect(trained.code, trained.stderr).toBe(0)
    const id = (JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { id: number }).id
    expect((await cli(['arch', 'save', tinyFile(64)])).stdout).toBe('saved tiny v3\n')
    expect((await cli(['arch', 'delete', 'tiny'])).stdout).toBe('deleted tiny (3 versions); runs keep the architecture they trained\n')
    const shown = JSON.parse((await cli(['show', String(id), '--json'])).stdout)
    expect(shown.architecture.layers[1]).toMatchObject({ kind: 'dense', units: 16 })
    expect(JSON.parse((await cli(['arch', 'list', '--json'])).stdout).saved).toEqual([])
  })
})
