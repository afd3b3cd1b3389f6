/**
 * `dataset …` and `--dataset` on the real CLI: the list as a table and as JSON, every bad input as one
 * line with exit code 2 and the database untouched, removal with and without the runs, and Ctrl-C
 * during a folder import keeping nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import { openRunStore } from '@main/core/store'
import { importFolder } from '@main/core/dataset/folder'
import { realDataDir } from '../helpers/real-data'
import { isWindows, NO_SIGNALS, windowsSkip } from '../helpers/platform'
import { whitePng } from '../helpers/plain-png'
import { runCli, startCli } from '../helpers/run-cli'

const { dir: dataDir, reason } = realDataDir()
const work = mkdtempSync(join(tmpdir(), 'atelier-cli-dataset-'))
const db = join(work, 'atelier.db')
const datasetsDir = join(work, 'datasets')
const env = { ATELIER_DATASETS_DIR: datasetsDir }
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A folder dataset and two runs on it, written straight into the store (what `dataset add` and `train` leave). */
async function seedPets(): Promise<{ file: string; runIds: number[] }> {
  mkdirSync(datasetsDir, { recursive: true })
  const file = join(datasetsDir, 'pets.atds')
  writeFileSync(file, 'cache')
  const store = await openRunStore(db)
  try {
    await store.datasets.insert({
      name: 'pets',
      title: 'pets',
      source: 'folder',
      contentHash: 'c'.repeat(64),
      shape: { height: 16, width: 16, channels: 3 },
      classNames: ['cat', 'dog'],
      trainCount: 400,
      testCount: 100,
      preprocessing: { fit: 'cover', height: 16, width: 16, color: 'rgb', scale: 1 / 255 },
      location: file,
      report: null,
      createdAt: '2026-12-04T00:00:00.000Z'
    })
    const runIds: number[] = []
    for (const seed of [1, 2]) {
      runIds.push(
        (await store.runs.insert({ name: `pets ${seed}`, hparams: { ...defaultHparams('dense'), dataset: 'pets', seed }, appVersion: 't' }))
          .id
      )
    }
    return { file, runIds }
  } finally {
    await store.close()
  }
}

describe.skipIf(!dataDir)(`CLI dataset commands${reason}`, () => {
  const common = ['--db', db, '--data', dataDir as string]
  const cli = (args: string[]) => runCli([...args, ...common], env)
  let pets: { file: string; runIds: number[] }

  beforeAll(async () => {
    pets = await seedPets()
  })

  it('lists every dataset as an aligned table and as JSON; list and show name each run’s dataset', async () => {
    const table = await cli(['dataset', 'list'])
    expect(table.code, table.stderr).toBe(0)
    const lines = table.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^name\s+source\s+shape\s+classes\s+train\/test\s+ready\s+runs$/)
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/)[0])).toEqual(['fashion-mnist', 'mnist', 'kmnist', 'cifar10', 'pets'])
    expect(lines[2]).toMatch(/^fashion-mnist\s+fashion-mnist\s+28×28×1\s+10\s+60,000\/10,000\s+yes\s+0$/)
    expect(lines[6]).toMatch(/^pets\s+folder\s+16×16×3\s+2\s+400\/100\s+yes\s+2$/)
    // Every column starts at the same place on every line.
    const column = (l: string) => l.indexOf(l.split(/\s{2,}/)[2]!)
    expect(new Set(lines.filter((_, i) => i !== 1).map(column)).size).toBe(1)

    const json = JSON.parse((await cli(['dataset', 'list', '--json'])).stdout)
    expect(json.find((d: { name: string }) => d.name === 'cifar10')).toMatchObject({
      ready: false,
      shape: { height: 32, width: 32, channels: 3 }
    })

    const show = await cli(['dataset', 'show', 'pets'])
    expect(show.stdout).toMatch(/^pets: pets \(folder\)/)
    expect(show.stdout).toMatch(/shape 16×16×3 · 2 classes · 400 train \/ 100 test images/)

    const runs = await cli(['list'])
    expect(runs.stdout.split('\n')[0]).toMatch(/\bdataset\b/)
    expect(runs.stdout).toMatch(/pets 1\s+dense\s+pets\s+queued/)
    const run = await cli(['show', String(pets.runIds[0])])
    expect(run.stdout).toMatch(/^dataset pets \(pets\) · 2 classes · 16×16×3 · checksum c{12}…$/m)
  })

  it('answers every bad input with one line and exit code 2, leaving the database and the datasets folder as they were', async () => {
    const empty = join(work, 'empty')
    mkdirSync(empty, { recursive: true })
    const folder = join(work, 'photos')
    mkdirSync(join(folder, 'cat'), { recursive: true })
    const before = statSync(db).mtimeMs
    const listBefore = (await cli(['dataset', 'list', '--json'])).stdout
    const runsBefore = (await cli(['list', '--json'])).stdout
    const cases: [string[], RegExp][] = [
      [['dataset'], /dataset needs a subcommand: list, show, download, import, add, remove/],
      [['dataset', 'show', 'nope'], /There is no dataset named nope/],
      [['dataset', 'download', 'svhn'], /"svhn" is not one of mnist, kmnist, cifar10/],
      [['dataset', 'import', 'mnist'], /dataset import mnist needs --folder DIR/],
      [['dataset', 'import', 'mnist', '--folder', join(work, 'missing')], /The folder .*missing does not exist\. Nothing was imported/],
      [['dataset', 'add', 'pets', '--folder', folder], /A dataset named pets already exists; choose another name or remove it first/],
      [['dataset', 'add', 'My Photos', '--folder', folder], /"My Photos" cannot name a dataset: use 1–40 lower-case letters/],
      [['dataset', 'add', 'new'], /dataset add new needs --folder DIR/],
      [['dataset', 'add', 'new', '--folder', empty], /The folder .*empty is empty; put one subfolder of images per class in it/],
      [['dataset', 'add', 'new', '--folder', join(work, 'missing')], /The folder .*missing does not exist/],
      [['dataset', 'add', 'new', '--folder', folder, '--size', '3'], /--size must be between 8 and 256 pixels, got 3/],
      [
        ['dataset', 'add', 'new', '--folder', folder, '--test-split', '1.5'],
        /--test-split must be a fraction between 0 and 1 \(e\.g\. 0\.2\), got 1\.5/
      ],
      [['dataset', 'add', 'new', '--folder', folder, '--color', 'sepia'], /--color must be gray or rgb, got "sepia"/],
      [['dataset', 'remove', 'pets'], /^atelier: 2 runs trained on pets, so it was not removed \(nothing was changed\)/],
      [['dataset', 'remove', 'fashion-mnist'], /used read-only, so it cannot be removed here; nothing was removed/],
      [['train', '--model', 'dense', '--dataset', 'nope'], /There is no dataset named nope/],
      [['train', '--model', 'dense', '--dataset', 'Bad'], /--dataset: use 1–40 lower-case letters/],
      [['train', '--model', 'dense', '--dataset', 'mnist'], /Dataset mnist cannot be used now/],
      [
        ['train', '--model', 'dense', '--dataset', 'pets', '--subset', '1000'],
        /more than pets has \(400 training images\); choose at most 400/
      ],
      [['sweep', '--model', 'dense', '--dataset', 'nope'], /There is no dataset named nope/],
      [['sweep', '--model', 'dense', '--dataset', 'pets', '--subset', '500'], /more than pets has \(400 training images\)/]
    ]
    for (const [args, message] of cases) {
      const r = await cli(args)
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.stderr, args.join(' ')).toMatch(message)
    }
    expect((await cli(['dataset', 'list', '--json'])).stdout).toBe(listBefore)
    expect((await cli(['list', '--json'])).stdout).toBe(runsBefore)
    expect(statSync(db).mtimeMs).toBe(before)
    expect(readdirSync(datasetsDir)).toEqual(['pets.atds'])
  })

  it('removes a dataset with its runs when asked to, and its cache file with it', async () => {
    const removed = await cli(['dataset', 'remove', 'pets', '--with-runs'])
    expect(removed.code, removed.stderr).toBe(0)
    expect(removed.stdout).toBe('removed dataset pets and its 2 runs\n')
    expect(existsSync(pets.file)).toBe(false)
    expect(JSON.parse((await cli(['list', '--json'])).stdout)).toEqual([])
    expect((await cli(['dataset', 'show', 'pets'])).code).toBe(2)
  })
})

describe.skipIf(!dataDir)(`CLI dataset import of official files${reason}`, () => {
  it('imports Fashion-MNIST into the profile, records its content hash, and removes its files again', async () => {
    const profile = join(work, 'profile')
    // No ATELIER_DATA_DIR: the profile's own folder, which the CLI may write.
    const own = { ATELIER_USER_DATA_DIR: profile, ATELIER_DATA_DIR: '', ATELIER_DATASETS_DIR: join(profile, 'datasets') }
    const imported = await runCli(['dataset', 'import', 'fashion-mnist', '--folder', dataDir as string], own)
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.stdout).toMatch(/^fashion-mnist: ready · 28×28×1 · 10 classes · 60,000 train \/ 10,000 test images/)
    expect(readdirSync(join(profile, 'fashion-mnist')).sort()).toHaveLength(4)
    const shown = JSON.parse((await runCli(['dataset', 'show', 'fashion-mnist', '--json'], own)).stdout)
    expect(shown).toMatchObject({ ready: true, contentHash: '6e1b8248a371b684a8915a1bed4b38233fddf371eb4aedfbefbeecd3adf25313' })
    const cifar = JSON.parse((await runCli(['dataset', 'show', 'cifar10', '--json'], own)).stdout)
    expect(cifar.location).toBe(join(profile, 'datasets', 'cifar10'))
    const removed = await runCli(['dataset', 'remove', 'fashion-mnist'], own)
    expect(removed.code, removed.stderr).toBe(0)
    expect(readdirSync(join(profile, 'fashion-mnist'))).toEqual([])
    expect(JSON.parse((await runCli(['dataset', 'show', 'fashion-mnist', '--json'], own)).stdout)).toMatchObject({
      ready: false,
      contentHash: null
    })
  })
})

/** True once the folder import is really there (on this branch it is filled by another helper). */
async function folderImportWorks(): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-probe-'))
  try {
    for (const c of ['a', 'b']) {
      mkdirSync(join(dir, c))
      for (let i = 0; i < 6; i++) writeFileSync(join(dir, c, `${i}.png`), whitePng(8 + i, 8))
    }
    await importFolder({ folder: dir, name: 'probe', outFile: join(dir, 'probe.atds') })
    return true
  } catch (error) {
    return !/cannot be imported yet/.test((error as Error).message)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
const importReady = await folderImportWorks()

describe.skipIf(isWindows || !importReady)(
  `dataset add and Ctrl-C${windowsSkip(NO_SIGNALS)}${importReady ? '' : ' — SKIPPED: the folder import is not there yet'}`,
  () => {
    it('cancels a folder import on Ctrl-C and leaves no dataset and no file behind', async () => {
      const folder = join(work, 'many')
      for (const c of ['a', 'b', 'c']) {
        mkdirSync(join(folder, c), { recursive: true })
        for (let i = 0; i < 2000; i++) writeFileSync(join(folder, c, `${i}.png`), whitePng(64 + (i % 7), 64))
      }
      const ownDb = join(work, 'sigint.db')
      const ownDatasets = join(work, 'sigint-datasets')
      const run = startCli(['dataset', 'add', 'many', '--folder', folder, '--db', ownDb, '--data', join(work, 'no-fashion')], {
        ATELIER_DATASETS_DIR: ownDatasets
      })
      await new Promise<void>((resolve) => {
        let stderr = ''
        run.child.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString()
          if (/many \w+ .*ETA/.test(stderr)) resolve()
        })
      })
      run.child.kill('SIGINT')
      const result = await run.result
      expect(result.code, result.stderr).toBe(130)
      expect(result.stderr).toMatch(/the import of many was cancelled; nothing of it was kept/)
      expect(existsSync(ownDatasets) ? readdirSync(ownDatasets) : []).toEqual([])
      const list = JSON.parse(
        (
          await runCli(['dataset', 'list', '--json', '--db', ownDb, '--data', join(work, 'no-fashion')], {
            ATELIER_DATASETS_DIR: ownDatasets
          })
        ).stdout
      )
      expect(list.map((d: { name: string }) => d.name)).not.toContain('many')
    })
  }
)
