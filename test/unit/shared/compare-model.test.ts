/** The one Compare model: what the view and the PDF report both draw. */
import { describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { EpochRecord, ResumePoint, RunDetail } from '@shared/run'
import { compareModel } from '@shared/compare-model'
import { reportBarsOption, reportConfusionOption, reportCurveOption, CURVE_METRICS } from '@main/core/export/compare-report/report-charts'
import { builtinRef } from '@shared/dataset'

const epochs = (lrs: number[], loss = 1): EpochRecord[] =>
  lrs.map((learningRate, i) => ({
    epoch: i + 1,
    loss: loss / (i + 1),
    accuracy: 0.8,
    valLoss: loss,
    valAccuracy: 0.78,
    learningRate,
    durationMs: 1
  }))

function run(
  id: number,
  opts: { lrs?: number[]; accuracy?: number | null; seed?: number; resumes?: ResumePoint[]; loss?: number } = {}
): RunDetail {
  return {
    id,
    name: `run ${id}`,
    seed: opts.seed ?? id,
    hparams: { ...defaultHparams('dense'), seed: opts.seed ?? id },
    history: epochs(opts.lrs ?? [1e-3, 1e-3, 1e-3], opts.loss),
    metrics: opts.accuracy === null ? null : { testAccuracy: opts.accuracy ?? 0.8, testLoss: 0.5, perClass: [], confusion: [] },
    resumePoints: opts.resumes ?? []
  } as unknown as RunDetail
}
const resumed: ResumePoint = {
  kind: 'resumed',
  afterEpoch: 1,
  at: '2025-01-01T00:00:00.000Z',
  previousTestAccuracy: null,
  previousTestLoss: null
}

describe('compare model', () => {
  const model = compareModel({
    runs: [run(4, { lrs: [1e-3, 1e-3, 5e-4], resumes: [resumed], accuracy: 0.9 })],
    groups: [
      {
        id: 2,
        name: 'seeds',
        members: [
          run(10, { seed: 0, accuracy: 0.84, lrs: [1e-3, 5e-4, 5e-4], loss: 1 }),
          run(11, { seed: 1, accuracy: 0.86, loss: 3 }),
          run(12, { seed: 2, accuracy: null, loss: 2 })
        ]
      }
    ]
  })

  it('labels and colours each run and group once, runs first', () => {
    expect(model.entities.map((e) => [e.key, e.label])).toEqual([
      ['r4', '#4 run 4'],
      ['g2', 'g2 seeds']
    ])
    expect(model.entities[0]!.color).not.toBe(model.entities[1]!.color)
  })

  it("gives a group's curve as the members' mean and spread, a run's as its own values", () => {
    const [r, g] = model.curves.valLoss
    expect(r!.points.map((p) => p.mean)).toEqual([1, 1, 1])
    expect(g!.points[0]).toMatchObject({ epoch: 1, n: 3, mean: 2, min: 1, max: 3, std: 1 })
  })

  it('marks learning-rate drops and resumes: the run its own, the group how many seeds', () => {
    expect(model.marks).toEqual([
      { key: 'r4', kind: 'lr-drop', epoch: 3, label: 'LR 0.00050' },
      { key: 'r4', kind: 'resume', epoch: 1.5, label: 'resumed' },
      { key: 'g2', kind: 'lr-drop', epoch: 2, label: 'LR ↓ 1/3 seeds' }
    ])
  })

  it("lists a group's finished members' test accuracies and writes its seeds as a range in the diff", () => {
    expect(model.testAccuracy[1]).toMatchObject({
      spread: { n: 2, mean: 0.85 },
      members: [
        { runId: 10, accuracy: 0.84 },
        { runId: 11, accuracy: 0.86 }
      ]
    })
    expect(model.hparamDiff.find((r) => r.path === 'seed')?.values).toEqual([4, '0–2'])
  })

  it("is what the paper draws: titles in words, the model's means, marks and bars (compareCharts.test.ts checks the screen the same way)", () => {
    const paper = reportCurveOption(CURVE_METRICS[0], model)
    expect((paper.title as { text: string }).text).toBe('Training loss')
    const lines = (
      paper.series as Array<{ type: string; data: number[][]; markLine?: { data: Array<{ name: string; xAxis: number }> } }>
    ).filter((s) => s.type === 'line')
    expect(lines.map((l) => l.data.map((p) => p[1]))).toEqual(model.curves.loss.map((c) => c.points.map((p) => p.mean)))
    expect(lines[0]!.markLine!.data.map((d) => [d.name, d.xAxis])).toEqual([
      ['LR 0.00050', 3],
      ['resumed', 1.5]
    ])
    type Bars = Array<{ type: string; data: Array<{ value: number }> }>
    expect((reportBarsOption(model, new Map()).series as Bars).find((x) => x.type === 'bar')!.data.map((d) => d.value)).toEqual([0.9, 0.85])
  })
})

describe('compare model across datasets', () => {
  const on = (r: RunDetail, name: string): RunDetail =>
    ({ ...r, dataset: builtinRef(name)!, hparams: { ...(r.hparams as object), dataset: name } }) as RunDetail

  it('overlays curves of runs on different datasets with a caption saying so, and shows the dataset row of the diff', () => {
    const mixed = compareModel({ runs: [on(run(1), 'mnist'), on(run(2), 'fashion-mnist'), on(run(3), 'mnist')], groups: [] })
    expect(mixed.curves.loss).toHaveLength(3)
    expect(mixed.datasets.map((d) => [d.title, d.keys])).toEqual([
      ['MNIST', ['r1', 'r3']],
      ['Fashion-MNIST', ['r2']]
    ])
    expect(mixed.datasetCaption).toMatch(
      /^These runs trained on different datasets: MNIST \(#1 run 1, #3 run 3\); Fashion-MNIST \(#2 run 2\)\./
    )
    expect(mixed.hparamDiff.find((r) => r.path === 'dataset')?.values).toEqual(['mnist', 'fashion-mnist', 'mnist'])
  })

  it('says nothing of datasets when all runs share one', () => {
    const same = compareModel({ runs: [on(run(1), 'kmnist'), on(run(2), 'kmnist')], groups: [] })
    expect(same.datasetCaption).toBeNull()
    expect(same.datasets.map((d) => d.name)).toEqual(['kmnist'])
    expect(same.hparamDiff.some((r) => r.path === 'dataset')).toBe(false)
  })

  it("names the report's confusion matrix with the run's own classes, whatever their number", () => {
    const pets = {
      ...on(run(5), 'cifar10'),
      dataset: { ...builtinRef('cifar10')!, name: 'pets', title: 'Pets', classNames: ['cat', 'dog', 'お'] },
      metrics: {
        testAccuracy: 0.5,
        testLoss: 1,
        perClass: [],
        confusion: [
          [2, 1, 0],
          [0, 3, 0],
          [1, 0, 2]
        ]
      }
    } as unknown as RunDetail
    const option = reportConfusionOption(pets) as {
      xAxis: { data: string[] }
      yAxis: { data: string[] }
      series: Array<{ data: unknown[] }>
    }
    // お has no glyph in the report's font: indices instead of empty boxes.
    expect(option.xAxis.data).toEqual(['0', '1', '2'])
    expect(option.series[0]!.data).toHaveLength(9)
    const latin = { ...pets, dataset: { ...pets.dataset, classNames: ['cat', 'dog', 'ёж'] } } as RunDetail
    const named = reportConfusionOption(latin) as { xAxis: { data: string[] }; yAxis: { data: string[] } }
    expect(named.xAxis.data).toEqual(['cat', 'dog', 'ёж'])
    expect(named.yAxis.data).toEqual(['cat', 'dog', 'ёж'])
  })
})
