/**
 * Seed repeats end to end: one configuration of `dense` repeated with 3 seeds from the New run form,
 * another through the API, each recorded as one group; Experiments shows each group as one row
 * with mean ± std that expands to its members; Compare draws each group's mean curve inside its
 * band and the test accuracy with error bars and every member as a dot, all checked against the core.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GroupDetail, GroupSummary } from '@shared/group'
import { spreadOf } from '@shared/spread'
import { pdfTools } from '../helpers/pdf-tools'
import { launchWorkbench, type Workbench } from './harness'
import { api, quickHparams, SCREENSHOT_DIR, screenshotBothThemes, waitForRun, chartCsv } from './helpers'

let wb: Workbench
let a: GroupSummary
let b: GroupSummary

/** Small enough to keep the shared CPU free: 1,000 images, 2 epochs. */
const SMALL = { trainSubset: 1000, epochs: 2 }

async function setNumber(testid: string, value: string): Promise<void> {
  const input = wb.page.getByTestId(testid).locator('input')
  await input.fill(value)
  await input.blur()
}

beforeAll(async () => {
  wb = await launchWorkbench()
})

afterAll(async () => {
  await wb?.close()
})

const pdf = pdfTools()

describe('Groups of seed repeats', () => {
  it('queues 3 seeds of one configuration from the New run form, and of another through the API', async () => {
    const { page } = wb
    await page.getByTestId('experiments-view').waitFor()
    // Configuration A through the form: defaults of dense, a small subset, "Repeat with 3 seeds".
    await page.getByTestId('nav-new').click()
    await page.getByTestId('preset-dense').click()
    await setNumber('hp-epochs', String(SMALL.epochs))
    await page.getByTestId('hp-trainSubset-enabled').click()
    await setNumber('hp-trainSubset', String(SMALL.trainSubset))
    await setNumber('hp-seed', '7')
    await setNumber('repeat-seeds', '3')
    await expect.poll(() => page.getByTestId('start-run').textContent()).toContain('Start 3 runs')
    await page.getByTestId('start-run').click()
    await page.getByTestId('experiments-view').waitFor()
    const groups = await api(wb.core, 'groups.list', {})
    expect(groups).toHaveLength(1)
    a = groups[0]!
    // Configuration B through the API: a higher learning rate and a bigger batch.
    b = await api(wb.core, 'runs.startRepeats', {
      hparams: quickHparams({ ...SMALL, learningRate: 0.003, batchSize: 128, seed: 7 }),
      repeats: 3,
      name: 'dense lr 0.003'
    })
    for (const id of [...a.memberIds, ...b.memberIds]) await waitForRun(wb.core, id)
    a = await api(wb.core, 'groups.get', { id: a.id })
    b = await api(wb.core, 'groups.get', { id: b.id })
  })

  it('records each configuration as one group whose members differ only in seed (7, 8, 9)', async () => {
    for (const g of [a, b]) {
      const detail = (await api(wb.core, 'groups.get', { id: g.id })) as GroupDetail
      expect(detail.members.map((m) => m.seed)).toEqual([7, 8, 9])
      expect(detail.members.every((m) => m.status === 'completed' && m.hparams.trainSubset === SMALL.trainSubset)).toBe(true)
      const shared = detail.members.map((m) => JSON.stringify({ ...m.hparams, seed: 0 }))
      expect(new Set(shared).size).toBe(1)
    }
    expect(a.hparams.learningRate).toBe(0.001)
    expect(b.hparams).toMatchObject({ learningRate: 0.003, batchSize: 128 })
  })

  it('shows each group as one row with mean ± std that expands to its members', async () => {
    const { page } = wb
    await page.getByTestId('nav-experiments').click()
    const rows = page.locator('[data-testid="group-row"]')
    await expect.poll(() => rows.count()).toBe(2)
    // Members are hidden until the group is expanded.
    expect(await page.locator('[data-testid="run-row"]').count()).toBe(0)
    const rowA = page.locator(`[data-testid="group-row"][data-group-id="${a.id}"]`)
    const spreadText = (await rowA.getByTestId('group-spread').allTextContents()).join(' ')
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`
    expect(spreadText).toContain(`${pct(a.testAccuracy!.mean)} ± ${pct(a.testAccuracy!.std!)}`)
    expect(spreadText).toContain(`${pct(a.bestValAccuracy!.mean)} ± ${pct(a.bestValAccuracy!.std!)}`)
    await rowA.getByTestId('group-spread').last().hover()
    await expect
      .poll(() => page.locator('.n-tooltip').last().textContent())
      .toMatch(/sample standard deviation \(divides by n − 1\) over 3 finished runs/)
    await rowA.locator('.n-data-table-expand-trigger').click()
    await expect.poll(() => page.locator('[data-testid="run-row"]').count()).toBe(3)
    await screenshotBothThemes(page, 'experiments-groups')
  })

  it('compares the two groups: mean curves in ± std bands, error bars and member dots', async () => {
    const { page } = wb
    for (const g of [a, b]) await page.locator(`[data-testid="group-row"][data-group-id="${g.id}"] .n-checkbox`).first().click()
    await page.getByTestId('compare-selected').click()
    await page.waitForURL(new RegExp(`#/compare/g${a.id},g${b.id}$`))
    expect(await page.getByTestId('nav-compare').textContent()).toContain('Compare (2)')
    const view = page.getByTestId('compare-view')
    for (const metric of ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'test-accuracy']) {
      await view.locator(`[data-testid="compare-chart-${metric}"] [data-testid="chart-canvas"] canvas`).first().waitFor()
    }
    await page.getByTestId('fixed-broken').waitFor()
    await page.getByTestId('compare-chart-val_accuracy').scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'compare-groups')
    mkdirSync(SCREENSHOT_DIR, { recursive: true })
    await page.getByTestId('compare-chart-test-accuracy').screenshot({ path: join(SCREENSHOT_DIR, 'compare-groups-test-accuracy.png') })
    await page.getByTestId('compare-chart-val_accuracy').screenshot({ path: join(SCREENSHOT_DIR, 'compare-groups-val-accuracy.png') })
    expect(wb.pageErrors).toEqual([])
  })

  it('draws each group’s band from its members’ curves', async () => {
    const rows = await chartCsv(wb, 'compare-chart-val_accuracy')
    const [header, ...data] = rows
    expect(header).toEqual(['epoch', ...[a, b].flatMap((g) => ['mean', 'std', 'min', 'max'].map((s) => `g${g.id} ${g.name} ${s}`))])
    expect(data.map((r) => Number(r[0]))).toEqual([1, 2])
    for (const [gi, g] of [a, b].entries()) {
      const members = ((await api(wb.core, 'groups.get', { id: g.id })) as GroupDetail).members
      data.forEach((row, e) => {
        const expected = spreadOf(members.map((m) => m.history[e]!.valAccuracy))!
        const [mean, std, min, max] = row.slice(1 + gi * 4, 5 + gi * 4).map(Number)
        expect(mean).toBeCloseTo(expected.mean, 9)
        expect(std).toBeCloseTo(expected.std!, 9)
        expect([min, max]).toEqual([expected.min, expected.max])
      })
    }
  })

  it('draws each member’s stored test accuracy as a dot, their mean as the bar and their sample std as the error bar', async () => {
    const rows = await chartCsv(wb, 'compare-chart-test-accuracy')
    expect(rows[0]).toEqual(['id', 'kind', 'name', 'n', 'std', 'min', 'max', 'members', 'test_accuracy'])
    for (const g of [a, b]) {
      // Worked out here from the members' stored accuracies, not from any summary the app made.
      const stored = ((await api(wb.core, 'groups.get', { id: g.id })) as GroupDetail).members.map((m) => m.metrics!.testAccuracy)
      const expected = spreadOf(stored)!
      const row = rows.find((r) => r[0] === `g${g.id}`)!
      const [n, std, min, max] = row.slice(3, 7).map(Number)
      expect(row[7]!.split(' ').map(Number)).toEqual(stored)
      expect(n).toBe(3)
      expect(std).toBeCloseTo(expected.std!, 12)
      expect([min, max]).toEqual([expected.min, expected.max])
      expect(Number(row.at(-1))).toBeCloseTo(expected.mean, 12)
      // The error bar spans mean ± std: different seeds really did differ.
      expect(std).toBeGreaterThan(0)
    }
  })

  it('says whether group B is really better than group A (Welch’s t-test on the members)', async () => {
    const { page } = wb
    const panel = page.getByTestId('group-significance-panel')
    await panel.scrollIntoViewIfNeeded()
    const sentence = panel.getByTestId('significance-sentence')
    await sentence.waitFor()
    const expected = await api(wb.core, 'compare.significance', { a: { kind: 'group', id: a.id }, b: { kind: 'group', id: b.id } })
    expect(expected.test).toBe('welch-t')
    expect(expected.a.n).toBe(3)
    expect(await sentence.textContent()).toBe(expected.sentence)
    expect(await panel.getByTestId('significance-members').textContent()).toContain(
      `${(expected.a.memberAccuracies[0]! * 100).toFixed(2)}%`
    )
    await screenshotBothThemes(page, 'compare-groups-significance')
    expect(wb.pageErrors).toEqual([])
  })

  it('says the run panel below the group test is one seed pair, and that the group test says whether the setting matters', async () => {
    const { page } = wb
    const caption = page.getByTestId('run-significance-caption')
    await caption.scrollIntoViewIfNeeded()
    expect(await caption.textContent()).toMatch(/one seed pair.*Whether the setting matters is the group test above/s)
    const runPanel = page.getByTestId('significance-panel')
    await runPanel.getByTestId('significance-sentence').waitFor()
    expect(await runPanel.textContent()).toContain('Do these two runs differ? (one seed pair)')
    expect(await page.getByTestId('group-significance-panel').getByTestId('significance-sentence').count()).toBe(1)
    await screenshotBothThemes(page, 'compare-groups-run-caption')
  })

  it.skipIf(!pdf.ok)(`exports the group comparison as a PDF that reports the groups, not their members as runs${pdf.reason}`, async () => {
    const { page } = wb
    const before = wb.saved.length
    await page.getByTestId('compare-report-pdf').click()
    await expect.poll(() => wb.saved.length, { timeout: 60_000 }).toBe(before + 1)
    const pdf = wb.saved[before]!
    expect(pdf).toMatch(new RegExp(`g${a.id}-g${b.id}\\.pdf$`))
    await expect.poll(() => (existsSync(pdf) ? statSync(pdf).size : 0), { timeout: 60_000 }).toBeGreaterThan(0)
    const text = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ')
    expect(text).toContain('Comparison of 2 groups')
    expect(text).toContain(`g${a.id} ${a.name} (3 seeds)`)
    expect(text).toContain("Welch's t-test on the members' test accuracies")
    const expected = await api(wb.core, 'compare.significance', { a: { kind: 'group', id: a.id }, b: { kind: 'group', id: b.id } })
    // The report tests each group against the best one, so its sentence is this one or its mirror image.
    const mirrored = await api(wb.core, 'compare.significance', { a: { kind: 'group', id: b.id }, b: { kind: 'group', id: a.id } })
    expect([expected.sentence, mirrored.sentence].some((s) => text.includes(s))).toBe(true)
  })

  it('switches bands and error bars to min – max', async () => {
    const { page } = wb
    await page.getByTestId('compare-spread-minmax').click()
    await page.getByTestId('compare-chart-test-accuracy').scrollIntoViewIfNeeded()
    await page.waitForTimeout(300)
    const rows = await chartCsv(wb, 'compare-chart-test-accuracy')
    expect(
      rows
        .find((r) => r[0] === `g${a.id}`)!
        .slice(5, 7)
        .map(Number)
    ).toEqual([a.testAccuracy!.min, a.testAccuracy!.max])
    await screenshotBothThemes(page, 'compare-groups-minmax')
    expect(wb.pageErrors).toEqual([])
  })

  it('counts what Compare shows in the shell, not an older selection', async () => {
    const { page } = wb
    const run = b.memberIds[0]!
    await page.goto(`${wb.baseUrl}#/compare/${run},g${a.id},g${b.id}`)
    await page.getByTestId(`compare-entity-r${run}`).waitFor()
    await expect.poll(() => page.getByTestId('nav-compare').textContent()).toContain('Compare (3)')
    // A run without groups: no caption about seed pairs.
    await page.goto(`${wb.baseUrl}#/compare/${a.memberIds[0]},${run}`)
    await page.getByTestId('significance-panel').waitFor()
    expect(await page.getByTestId('run-significance-caption').count()).toBe(0)
    expect(await page.getByTestId('nav-compare').textContent()).toContain('Compare (2)')
  })

  it('repeats a run with N seeds from the run view: the run itself is the first seed, N − 1 new seeds join it', async () => {
    const { page } = wb
    const source = await api(wb.core, 'runs.start', { hparams: quickHparams({ trainSubset: 1000, epochs: 1, seed: 20 }), name: 'single' })
    await page.goto(`${wb.baseUrl}#/runs/${source.id}`)
    await page.getByTestId('run-repeat').click()
    await setNumber('run-repeat-count', '3')
    await expect.poll(() => page.getByTestId('run-repeat-explain').textContent()).toContain('This run (seed 20) and 2 new runs')
    await page.getByTestId('run-repeat-start').click()
    await page.getByTestId('experiments-view').waitFor()
    const groups = await api(wb.core, 'groups.list', {})
    expect(groups).toHaveLength(3)
    const added = groups.find((g) => g.id !== a.id && g.id !== b.id)!
    expect(added.seeds).toEqual([20, 21, 22])
    expect(added.memberIds[0]).toBe(source.id)
    expect((await api(wb.core, 'runs.list', {})).filter((r) => r.name.startsWith('single'))).toHaveLength(3)
    await expect.poll(() => page.locator(`[data-testid="group-row"][data-group-id="${added.id}"]`).count()).toBe(1)
    // Nothing more to train here: the runs are cancelled when the workbench closes.
  })
})
