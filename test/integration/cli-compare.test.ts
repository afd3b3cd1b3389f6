/** `npm run cli -- compare`: the real CLI process on a database holding two finished runs. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '@shared/run'
import { createCore, forkTrainer } from '@main/core/core'
import { pdfTools } from '../helpers/pdf-tools'
import { realDataDir } from '../helpers/real-data'
import { runCli } from '../helpers/run-cli'
import { storeFinishedRun } from '../helpers/stored-runs'

const { dir: dataDir, reason } = realDataDir()
const pdf = pdfTools()

describe.skipIf(!dataDir)(`CLI compare${reason}`, () => {
  const work = mkdtempSync(join(tmpdir(), 'atelier-cli-compare-'))
  const db = join(work, 'atelier.db')
  const common = ['--db', db, '--data', dataDir as string]
  let a: RunSummary
  let b: RunSummary
  afterAll(() => rmSync(work, { recursive: true, force: true }))
  beforeAll(async () => {
    const core = await createCore({
      dataDir: dataDir!,
      dataDirLocked: true,
      dbPath: db,
      appVersion: 'test',
      settingsPath: null,
      spawnTrainer: forkTrainer,
      dialogs: { saveFile: async () => null, openFolder: async () => null }
    })
    const { labels } = await core.dataset.testSet()
    a = await storeFinishedRun(core, { name: 'seed 1', labels, right: (i) => i % 100 < 85 })
    // 40 images fixed, 31 broken: a 9-image edge that is noise.
    b = await storeFinishedRun(core, {
      name: 'seed 2',
      labels,
      right: (i) => (i % 100 < 85 && i % 1000 !== 3 && i % 10_000 !== 4) || (i % 1000 === 90 && i < 4000) || i % 10_000 === 95
    })
    await core.shutdown({ cancelRunning: false })
  })

  it('prints both accuracies with Wilson intervals, the paired counts and the verdict', async () => {
    const r = await runCli(['compare', String(a.id), String(b.id), ...common])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('85.00%')
    expect(r.stdout).toMatch(/95% interval \(Wilson\)/)
    expect(r.stdout).toMatch(/84\.\d\d% – 85\.\d\d%/)
    const json = JSON.parse((await runCli(['compare', String(a.id), String(b.id), '--json', ...common])).stdout)
    expect(json.counts.aOnly + json.counts.bOnly).toBeGreaterThan(0)
    expect(json.a.accuracy).toBe(a.testAccuracy)
    expect(json.b.accuracy).toBe(b.testAccuracy)
    expect(r.stdout).toContain(json.sentence)
    expect(json.sentence).toMatch(/not distinguishable from noise\.$/)
  })

  it.skipIf(!pdf.ok)(`writes the comparison report with --pdf${pdf.reason}`, async () => {
    const pdf = join(work, 'report.pdf')
    const r = await runCli(['compare', String(a.id), String(b.id), '--pdf', pdf, ...common])
    expect(r.code, r.stderr).toBe(0)
    // Sentences wrap over lines on the page.
    const text = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ')
    expect(text).toContain(`#${a.id} seed 1`)
    expect(text).toMatch(/p = 0\.\d+, not distinguishable from noise/)
  })

  it('turns bad ids into one line and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['compare', String(a.id)], /needs two run ids/],
      [['compare', 'x', String(a.id)], /"x" is not a run id/],
      [['compare', String(a.id), '9999'], /Run 9999 does not exist/],
      [['compare', String(a.id), 'g4'], /Group 4 does not exist/]
    ]
    for (const [args, message] of cases) {
      const r = await runCli([...args, ...common])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    }
  })
})
