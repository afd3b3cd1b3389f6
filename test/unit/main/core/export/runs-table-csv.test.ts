import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { RunSummary } from '@shared/run'
import { createCore, forkTrainer } from '@main/core/core'
import { runsTableCsv } from '@main/core/export/runs-table-csv'

const summary = (id: number, over: Partial<RunSummary> = {}): RunSummary => ({
  id,
  name: `run ${id}`,
  preset: 'dense',
  architectureName: null,
  status: 'completed',
  createdAt: '2026-01-01T10:00:00.000Z',
  startedAt: '2026-01-01T10:00:05.000Z',
  finishedAt: '2026-01-01T10:01:05.000Z',
  epochsDone: 3,
  epochsPlanned: 3,
  bestValAccuracy: 0.85,
  testAccuracy: 0.8412,
  testLoss: 0.43,
  backend: 'wasm',
  tags: [],
  errorMessage: null,
  groupId: null,
  sweepId: null,
  hp: {},
  notes: '',
  version: 1,
  trainingMs: 0,
  ownedElsewhere: false,
  ...over
})

/** A minimal RFC 4180 reader for checking what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += ch
  }
  return rows
}

describe('Experiments table as CSV', () => {
  it('has every table column, every hyperparameter, the given order, and survives awkward names', () => {
    const runs = [
      summary(7, { name: 'wide, "fast" one', tags: ['paper', 'lr'], trainingMs: 50_000 }),
      summary(3, { status: 'running', finishedAt: null, testAccuracy: null, testLoss: null, preset: 'cnn-bn' })
    ]
    const extras = new Map([
      [7, { hparams: { ...defaultHparams('dense'), learningRate: 0.003 } }],
      [3, { hparams: defaultHparams('cnn-bn') }]
    ])
    const [header, ...rows] = parseCsv(runsTableCsv(runs, extras))
    expect(header!.slice(0, 16)).toEqual([
      'id',
      'name',
      'preset',
      'status',
      'best_val_accuracy',
      'test_accuracy',
      'test_loss',
      'epochs_done',
      'epochs_planned',
      'training_s',
      'backend',
      'created_at',
      'started_at',
      'finished_at',
      'tags',
      'error'
    ])
    expect(header).toContain('hp.learningRate')
    expect(header).toContain('hp.reduceLrOnPlateau.factor')
    const col = (name: string) => header!.indexOf(name)
    expect(rows.map((r) => r[0])).toEqual(['7', '3'])
    expect(rows[0]![col('name')]).toBe('wide, "fast" one')
    expect(rows[0]![col('tags')]).toBe('paper;lr')
    // Training time (the sum of its epochs), as the app shows it: not the 60 s from start to finish.
    expect(rows[0]![col('training_s')]).toBe('50')
    expect(rows[0]![col('hp.learningRate')]).toBe('0.003')
    expect(rows[1]![col('test_accuracy')]).toBe('')
    expect(rows[1]![col('hp.reduceLrOnPlateau.enabled')]).toBe('true')
    expect(rows.every((r) => r.length === header!.length)).toBe(true)
  })

  it('says which dataset each run trained on, and the checksum of the data it loaded', () => {
    const runs = [summary(1), summary(2)]
    const extras = new Map([
      [1, { hparams: defaultHparams('dense'), dataset: { name: 'fashion-mnist' }, datasetChecksum: 'abc' }],
      [2, { hparams: { ...defaultHparams('dense'), dataset: 'my-photos' }, dataset: { name: 'my-photos' }, datasetChecksum: null }]
    ])
    const [header, ...rows] = parseCsv(runsTableCsv(runs, extras))
    expect(header!.slice(16, 18)).toEqual(['dataset', 'dataset_checksum'])
    expect(rows.map((r) => [r[16], r[17]])).toEqual([
      ['fashion-mnist', 'abc'],
      ['my-photos', '']
    ])
  })
})

describe('export.runsTable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-runs-csv-'))
  const saved: string[] = []
  const core = await createCore({
    dataDir: join(dir, 'data'),
    dbPath: join(dir, 'atelier.db'),
    appVersion: 'test',
    settingsPath: null,
    spawnTrainer: forkTrainer,
    dialogs: {
      saveFile: async ({ suggestedName }) => (saved.push(join(dir, suggestedName)), join(dir, suggestedName)),
      openFolder: async () => null
    }
  })
  afterAll(async () => {
    await core.shutdown({ cancelRunning: true })
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes the runs asked for, in that order, and refuses an unknown id before asking where to save', async () => {
    const a = await core.store.runs.insert({ name: 'first', hparams: defaultHparams('dense'), appVersion: 'test' })
    const b = await core.store.runs.insert({
      name: 'second',
      hparams: { ...defaultHparams('cnn-deep'), batchSize: 128 },
      appVersion: 'test'
    })
    const res = await core.route('export.runsTable', { ids: [b.id, a.id] })
    expect(res).toMatchObject({ ok: true, data: { path: saved[0] } })
    const rows = parseCsv(readFileSync(saved[0]!, 'utf8'))
    expect(rows.slice(1).map((r) => r[1])).toEqual(['second', 'first'])
    expect(rows[1]![rows[0]!.indexOf('hp.batchSize')]).toBe('128')
    expect(await core.route('export.runsTable', { ids: [a.id, 999] })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(saved).toHaveLength(1)
  })

  it("gives a custom run's architecture one cell, its name, not a column per layer field", () => {
    const architecture = { name: 'tiny', layers: [{ kind: 'flatten' as const }, { kind: 'output' as const }] }
    const runs = [summary(1, { preset: 'custom', architectureName: 'tiny' }), summary(2)]
    const extras = new Map([
      [1, { hparams: { ...defaultHparams('dense'), preset: 'custom' as const, architecture } }],
      [2, { hparams: defaultHparams('dense') }]
    ])
    const [header, ...rows] = parseCsv(runsTableCsv(runs, extras))
    expect(header!.filter((h) => h.startsWith('hp.architecture'))).toEqual(['hp.architecture'])
    expect(rows.map((r) => r[header!.indexOf('hp.architecture')])).toEqual(['tiny', ''])
    expect(rows.map((r) => r[header!.indexOf('preset')])).toEqual(['custom', 'dense'])
  })
})
