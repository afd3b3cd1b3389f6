/** The one Compare model: what the view and the PDF report both draw. */
import { describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { EpochRecord, ResumePoint, RunDetail } from '@shared/run'
import { compareModel } from '@shared/compare-model'
import { reportBarsOption, reportCurveOption, CURVE_METRICS } from '@main/core/export/compare-report/report-charts'

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
