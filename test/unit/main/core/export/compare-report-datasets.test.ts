/** The Compare report across datasets: tests only within one test set, says why otherwise, names each run's classes. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { TestSet } from '@shared/api'
import { builtinRef, type DatasetRef } from '@shared/dataset'
import { defaultHparams } from '@shared/hparams'
import type { RunDetail } from '@shared/run'
import { buildCompareReport } from '@main/core/export/compare-report/compare-report'
import { pdfTools } from '../../../../helpers/pdf-tools'

const pdf = pdfTools()
const N = 1000
const labelsOf = (k: number) => Uint8Array.from({ length: N }, (_, i) => i % k)
const pets: DatasetRef = {
  ...builtinRef('cifar10')!,
  name: 'pets',
  title: 'Pets',
  source: 'folder',
  classNames: ['cat', 'dog', 'お'],
  contentHash: 'p'.repeat(64)
}

function run(id: number, dataset: DatasetRef, right: number): { detail: RunDetail; predicted: Uint8Array } {
  const k = dataset.classNames.length
  const labels = labelsOf(k)
  const predicted = labels.map((l, i) => (i < right ? l : (l + 1) % k))
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0))
  labels.forEach((l, i) => confusion[l]![predicted[i]!]!++)
  const history = [1, 2].map((epoch) => ({
    epoch,
    loss: 1 / epoch,
    accuracy: 0.7,
    valLoss: 1,
    valAccuracy: 0.7,
    learningRate: 0.001,
    durationMs: 5
  }))
  const detail = {
    id,
    name: `run ${id}`,
    preset: 'dense',
    status: 'completed',
    seed: id,
    hparams: { ...defaultHparams('dense'), seed: id, dataset: dataset.name },
    dataset,
    datasetChecksum: dataset.contentHash ?? 'm'.repeat(64),
    history,
    resumePoints: [],
    testAccuracy: right / N,
    bestValAccuracy: 0.7,
    metrics: { testAccuracy: right / N, testLoss: 0.5, perClass: [], confusion }
  } as unknown as RunDetail
  return { detail, predicted }
}

describe.skipIf(!pdf.ok)(`Compare report across datasets${pdf.reason}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-report-ds-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("tests runs only against the best on their own test set, says why not across datasets, and names the best run's classes", async () => {
    const mnist = builtinRef('mnist')!
    const runs = [run(1, mnist, 900), run(2, mnist, 700), run(3, pets, 990), run(4, pets, 950)]
    const byId = new Map(runs.map((r) => [r.detail.id, r]))
    const asked: string[] = []
    const bytes = await buildCompareReport(
      {
        runs: {
          get: async (id) => byId.get(id)!.detail,
          getMany: async (ids) => ids.map((id) => byId.get(id)!.detail),
          predictions: async (id) => ({ predicted: byId.get(id)!.predicted, probabilities: new Float32Array() })
        },
        dataset: {
          testSet: async (name?: string): Promise<TestSet> => {
            asked.push(name ?? '')
            const k = name === 'pets' ? 3 : 10
            return { dataset: name ?? 'fashion-mnist', shape: mnist.shape, count: N, images: new Uint8Array(), labels: labelsOf(k) }
          }
        },
        appVersion: 'test'
      },
      { ids: [1, 2, 3, 4] }
    )
    const file = join(dir, 'report.pdf')
    writeFileSync(file, bytes)
    const text = execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, ' ')
    expect(text).toContain('MNIST, Pets, Atelier test')
    // Within each dataset: McNemar against that dataset's best.
    expect(text).toContain('#1 run 1 gets 200 more test images right than #2 run 2')
    expect(text).toContain('#3 run 3 gets 40 more test images right than #4 run 4')
    // Across: the refusal, never a p-value.
    expect(text).toContain('#1 run 1 trained on MNIST, #3 run 3 on Pets: their test sets differ, so no paired test is possible')
    expect(text).toContain('These runs trained on different datasets: MNIST (#1 run 1, #2 run 2); Pets (#3 run 3, #4 run 4).')
    // The best run (#3, on Pets) is drawn with its own three classes.
    // One confusion matrix per dataset: the best on each.
    expect(text).toContain('Confusion matrix of the best run on Pets, #3 run 3')
    expect(text).toContain('Confusion matrix of the best run on MNIST, #1 run 1')
    // DejaVu has no Japanese glyphs: the classes go by index, and the page says so instead of printing boxes.
    expect(text).toContain("The class names of Pets use characters this report's font cannot draw, so the classes are shown by their index")
    expect(text).not.toContain('T-shirt')
    expect(new Set(asked)).toEqual(new Set(['mnist', 'pets']))
  })
})
