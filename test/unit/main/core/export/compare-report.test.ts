/** The Compare report PDF, made through the router from stored runs and the real test labels, read back with poppler. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EpochRecord, RunSummary } from '@shared/run'
import { createCore, forkTrainer, type Core } from '@main/core/core'
import { pdfTools } from '../../../../helpers/pdf-tools'
import { realDataDir } from '../../../../helpers/real-data'
import { storeFinishedRun } from '../../../../helpers/stored-runs'

const { dir: dataDir, reason } = realDataDir()
const pdf = pdfTools()
/** Where the rendered first pages land for a person to look at. */
const ARTIFACTS = resolve(import.meta.dirname, '../../../../../artifacts/report')

const curve = (ceiling: number): EpochRecord[] =>
  Array.from({ length: 8 }, (_, i) => ({
    epoch: i + 1,
    loss: 1.2 / (i + 1.5),
    accuracy: ceiling - 0.3 / (i + 1),
    valLoss: 1.3 / (i + 1.4),
    valAccuracy: ceiling - 0.32 / (i + 1),
    learningRate: 0.001,
    durationMs: 1000
  }))

describe.skipIf(!dataDir || !pdf.ok)(`export.compareReport${reason}${pdf.reason}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-report-'))
  const saved: string[] = []
  let core: Core
  let runs: RunSummary[]
  beforeAll(async () => {
    core = await createCore({
      dataDir: dataDir!,
      dataDirLocked: true,
      dbPath: join(dir, 'atelier.db'),
      appVersion: 'test',
      settingsPath: null,
      spawnTrainer: forkTrainer,
      dialogs: {
        saveFile: async ({ suggestedName }) => (saved.push(join(dir, suggestedName)), join(dir, suggestedName)),
        openFolder: async () => null
      }
    })
    const { labels } = await core.dataset.testSet()
    runs = [
      await storeFinishedRun(core, { name: 'dense baseline', labels, right: (i) => i % 100 < 84, history: curve(0.86) }),
      await storeFinishedRun(core, {
        name: 'dense lr 0.003',
        labels,
        right: (i) => i % 100 < 86,
        history: curve(0.88),
        learningRate: 0.003
      }),
      await storeFinishedRun(core, {
        name: 'dense reseeded',
        labels,
        right: (i) => i % 100 < 84 || i % 1000 === 990,
        history: curve(0.865)
      })
    ]
  })
  afterAll(async () => {
    await core?.shutdown({ cancelRunning: true })
    rmSync(dir, { recursive: true, force: true })
  })

  it('holds the run names, the significance sentences, the diff, and every chart with its titles and axis names', async () => {
    const res = await core.route('export.compareReport', { ids: runs.map((r) => r.id) })
    expect(res).toMatchObject({ ok: true, data: { path: saved[0] } })
    const pdf = saved[0]!
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
    mkdirSync(ARTIFACTS, { recursive: true })
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(ARTIFACTS, 'compare-report')])
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString()
    for (const r of runs) expect(text).toContain(`#${r.id} ${r.name}`)
    // Sentences wrap over lines on the page.
    const flat = text.replace(/\s+/g, ' ')
    expect(flat).toMatch(/gets 200 more test images right than #\d+ dense baseline: p < 0\.001, a real difference\./)
    expect(flat).toMatch(/gets 190 more test images right than #\d+ dense reseeded: p < 0\.001/)
    expect(text).toContain('learningRate')
    expect(text).toContain('0.003')
    for (const words of [
      'Training loss',
      'Validation accuracy',
      'Epoch',
      'Test accuracy with 95% Wilson intervals',
      'Confusion matrix of the best run',
      'Predicted class',
      'True class',
      'Ankle boot'
    ]) {
      expect(text).toContain(words)
    }
    expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf]).toString())![1])).toBe(3)
  })

  it('diffs the architectures layer by layer when the runs trained different ones, and says so when they did not', async () => {
    const { labels } = await core.dataset.testSet()
    const cnn = await storeFinishedRun(core, {
      name: 'shallow cnn',
      labels,
      right: (i) => i % 100 < 88,
      history: curve(0.9),
      preset: 'cnn-shallow'
    })
    const before = saved.length
    expect(await core.route('export.compareReport', { ids: [runs[0]!.id, cnn.id] })).toMatchObject({ ok: true })
    const flat = execFileSync('pdftotext', ['-layout', saved[before]!, '-']).toString().replace(/\s+/g, ' ')
    expect(flat).toContain('Architectures that differ')
    expect(flat).toMatch(/A: #\d+ dense baseline \(dense\); B: #\d+ shallow cnn \(cnn-shallow\)/)
    // The shallow CNN's convolution is a layer dense does not have.
    expect(flat).toMatch(/added .*conv2d/)
    expect(await core.route('export.compareReport', { ids: [runs[0]!.id, runs[2]!.id] })).toMatchObject({ ok: true })
    const same = execFileSync('pdftotext', [saved[before + 1]!, '-'])
      .toString()
      .replace(/\s+/g, ' ')
    expect(same).toContain('None: every one trained the same architecture (dense).')
  })

  it('says which comparison could not be made, and refuses unknown runs before asking where to save', async () => {
    const queued = await core.store.runs.insert({
      name: 'still queued',
      hparams: (await core.runs.get(runs[0]!.id)).hparams,
      appVersion: 'test'
    })
    const before = saved.length
    expect(await core.route('export.compareReport', { ids: [runs[0]!.id, 4242] })).toMatchObject({
      ok: false,
      error: { code: 'not_found' }
    })
    expect(saved).toHaveLength(before)
    const res = await core.route('export.compareReport', { ids: [queued.id, runs[0]!.id] })
    expect(res.ok).toBe(true)
    const text = execFileSync('pdftotext', [saved[before]!, '-']).toString()
    expect(text).toContain('still queued')
    expect(text).toContain('Fewer than two runs have finished')
  })

  it("reports groups as groups: mean ± std, Welch's test against the best group, bands and member dots", async () => {
    const { labels } = await core.dataset.testSet()
    const group = async (name: string, cuts: number[], ceiling: number) => {
      const members = []
      for (const [i, cut] of cuts.entries()) {
        members.push(
          await storeFinishedRun(core, {
            name: `${name} seed ${i}`,
            labels,
            right: (k) => k % 100 < cut,
            history: curve(ceiling + i / 200)
          })
        )
      }
      const id = await core.store.groups.insert({ name, preset: 'dense', createdAt: new Date().toISOString() })
      await core.store.groups.assign(
        id,
        members.map((m) => m.id)
      )
      return id
    }
    const plain = await group('plain', [84, 85, 83], 0.85)
    const wider = await group('wider', [88, 89, 87], 0.88)
    const before = saved.length
    const res = await core.route('export.compareReport', { ids: [], groupIds: [plain, wider] })
    expect(res, JSON.stringify(res)).toMatchObject({ ok: true })
    const pdf = saved[before]!
    expect(pdf).toMatch(new RegExp(`atelier-compare-g${plain}-g${wider}\\.pdf$`))
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(ARTIFACTS, 'compare-report-groups')])
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString()
    expect(text).toContain('Comparison of 2 groups')
    expect(text).toContain('Runs and groups')
    expect(text).toContain(`g${plain} plain (3 seeds)`)
    expect(text).toContain('3 of 3 completed')
    // Members 84 %, 85 %, 83 %: mean 84.00 % ± 1.00 % (sample std).
    expect(text).toContain('84.00% ± 1.00%')
    // Sentences wrap over lines on the page.
    const flat = text.replace(/\s+/g, ' ')
    expect(flat).toMatch(
      new RegExp(
        `The 3 runs of group g${wider} wider average 4\\.00 percentage points higher test accuracy than the 3 of group g${plain} plain: p [=<] [\\d.]+`
      )
    )
    expect(flat).toContain("Welch's t-test on the members' test accuracies (group g")
    for (const words of [
      "Groups: the members' mean curve in a band of ± one sample standard deviation",
      'groups as mean ± sample std, members as dots',
      'Confusion matrix of the best run'
    ]) {
      expect(text).toContain(words)
    }
    // A run beside a group is a group of one against it, as in Compare.
    const mixedAt = saved.length
    expect(await core.route('export.compareReport', { ids: [runs[1]!.id], groupIds: [wider] })).toMatchObject({ ok: true })
    const mixed = execFileSync('pdftotext', [saved[mixedAt]!, '-']).toString().replace(/\s+/g, ' ')
    expect(mixed).toContain('Comparison of 1 run and 1 group')
    expect(mixed).toContain(`#${runs[1]!.id} dense lr 0.003 has 1 finished run: comparing groups needs at least 2 finished runs in each`)
    expect(await core.route('export.compareReport', { ids: [], groupIds: [plain, plain] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' }
    })
    const unknown = await core.route('export.compareReport', { ids: [], groupIds: [plain, 999] })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await core.route('export.compareReport', { ids: [runs[0]!.id] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' }
    })
  })

  it('prints names in other scripts as typed (the fonts are embedded)', async () => {
    const { labels } = await core.dataset.testSet()
    const greek = await storeFinishedRun(core, { name: 'Проба σ = 0.5 – “Zoë”', labels, right: (i) => i % 100 < 80 })
    const before = saved.length
    expect(await core.route('export.compareReport', { ids: [greek.id, runs[0]!.id] })).toMatchObject({ ok: true })
    const pdf = saved[before]!
    const text = execFileSync('pdftotext', [pdf, '-']).toString()
    expect(text).toContain(`#${greek.id} Проба σ = 0.5 – “Zoë”`)
    expect(execFileSync('pdffonts', [pdf]).toString()).toMatch(/DejaVuSans/)
  })

  it('puts the test-accuracy chart on a page of its own when a long colour key leaves no room under the curves', async () => {
    const { labels } = await core.dataset.testSet()
    const ids: number[] = []
    for (let g = 0; g < 14; g++) {
      const members = []
      for (const m of [0, 1]) {
        members.push(
          await storeFinishedRun(core, {
            name: `a rather long configuration name ${g} seed ${m}`,
            labels,
            right: (k) => k % 100 < 80 + (g % 5) + m
          })
        )
      }
      const id = await core.store.groups.insert({
        name: `a rather long configuration name ${g}`,
        preset: 'dense',
        createdAt: new Date().toISOString()
      })
      await core.store.groups.assign(
        id,
        members.map((r) => r.id)
      )
      ids.push(id)
    }
    const before = saved.length
    expect(await core.route('export.compareReport', { ids: [], groupIds: ids })).toMatchObject({ ok: true })
    const pdf = saved[before]!
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(ARTIFACTS, 'compare-report-14-groups')])
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf]).toString())![1])
    const page = (n: number) => execFileSync('pdftotext', ['-f', String(n), '-l', String(n), pdf, '-']).toString()
    const barsPage = Array.from({ length: pages }, (_, i) => i + 1).find((n) =>
      page(n).includes('groups as mean ± sample std, members as dots')
    )!
    expect(page(barsPage)).not.toContain('Training loss')
    expect(page(barsPage)).toContain('Run or group')
  })
})
