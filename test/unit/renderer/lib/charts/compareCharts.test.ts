/** Compare's charts on screen draw the one Compare model: titles in words, the model's means, LR-drop and resume marks, bars. */
import { describe, expect, it } from 'vitest'
import { defaultHparams } from '@shared/hparams'
import type { EpochRecord, RunDetail } from '@shared/run'
import { compareModel } from '@shared/compare-model'
import { compareCurvesChart, testAccuracyBars } from '@renderer/lib/charts/compareCharts'

const history = (lrs: number[], loss: number): EpochRecord[] =>
  lrs.map((learningRate, i) => ({
    epoch: i + 1,
    loss: loss / (i + 1),
    accuracy: 0.8,
    valLoss: loss,
    valAccuracy: 0.78,
    learningRate,
    durationMs: 1
  }))
const run = (id: number, accuracy: number, lrs: number[], loss = 1): RunDetail =>
  ({
    id,
    name: `run ${id}`,
    seed: id,
    hparams: defaultHparams('dense'),
    history: history(lrs, loss),
    metrics: { testAccuracy: accuracy, testLoss: 0.5, perClass: [], confusion: [] },
    resumePoints: [{ kind: 'extended', afterEpoch: 2, at: '2025-01-01T00:00:00.000Z', previousTestAccuracy: 0.8, previousTestLoss: 0.5 }]
  }) as unknown as RunDetail

describe('compare charts', () => {
  const model = compareModel({
    runs: [run(4, 0.9, [1e-3, 1e-3, 5e-4])],
    groups: [{ id: 2, name: 'seeds', members: [run(10, 0.84, [1e-3, 1e-3, 1e-3], 1), run(11, 0.86, [1e-3, 1e-3, 1e-3], 3)] }]
  })

  it('titles and axes say what is drawn, not the record key', () => {
    const titles = (['loss', 'accuracy', 'valLoss', 'valAccuracy'] as const).map((metric) => {
      const { option } = compareCurvesChart({ model, metric, spread: 'std' })
      return [(option.title as { text: string }).text, (option.yAxis as { name: string }).name]
    })
    expect(titles).toEqual([
      ['Training loss', 'Loss'],
      ['Training accuracy', 'Accuracy'],
      ['Validation loss', 'Validation loss'],
      ['Validation accuracy', 'Validation accuracy']
    ])
  })

  it("draws the model's means and marks each entity's LR drops and resumes in its colour", () => {
    const { option } = compareCurvesChart({ model, metric: 'valLoss', spread: 'std' })
    const lines = (
      option.series as Array<{
        type: string
        name: string
        data: number[][]
        markLine?: { data: Array<{ name: string; xAxis: number; lineStyle: { color: string; type: string } }> }
      }>
    ).filter((s) => s.type === 'line')
    expect(lines.map((l) => l.name)).toEqual(['#4 run 4', 'g2 seeds'])
    expect(lines[1]!.data).toEqual([
      [1, 2],
      [2, 2],
      [3, 2]
    ])
    expect(lines[0]!.markLine!.data.map((d) => [d.name, d.xAxis, d.lineStyle.type, d.lineStyle.color])).toEqual([
      ['LR 0.00050', 3, 'dashed', model.entities[0]!.color],
      ['trained further', 2.5, 'solid', model.entities[0]!.color]
    ])
    expect(lines[1]!.markLine!.data.map((d) => d.name)).toEqual(['trained further 2/2 seeds'])
  })

  it("bars are the model's test accuracies, a group's members its dots", () => {
    const { option } = testAccuracyBars({ model, spread: 'std' })
    const series = option.series as Array<{ type: string; data: Array<{ value: number | number[] }> }>
    expect(series.find((s) => s.type === 'bar')!.data.map((d) => d.value)).toEqual([0.9, 0.85])
    expect(series.find((s) => s.type === 'scatter')!.data.map((d) => d.value)).toEqual([
      [1, 0.84],
      [1, 0.86]
    ])
  })
})

describe('confusion difference B − A', () => {
  it('colours by which run gains (more right on the diagonal, fewer mistakes off it) and its legend names them', async () => {
    const { confusionChart } = await import('@renderer/lib/charts/confusionChart')
    const matrix = Array.from({ length: 10 }, () => Array<number>(10).fill(0))
    matrix[0]![0] = 5 // B gets 5 more T-shirts right: B gains
    matrix[0]![6] = 5 // B calls 5 more T-shirts "Shirt": A gains
    const { option } = confusionChart({ title: 'd', matrix, mode: 'diff', sides: { a: 'A #3', b: 'B #7' } })
    const visualMap = option.visualMap as { dimension: number; text: string[]; min: number; max: number }
    expect(visualMap).toMatchObject({ dimension: 3, text: ['B #7 gains 5', 'A #3 gains 5'], min: -5, max: 5 })
    const data = (option.series as Array<{ data: number[][] }>)[0]!.data
    expect(data.find((d) => d[0] === 0 && d[1] === 0)).toEqual([0, 0, 5, 5])
    expect(data.find((d) => d[0] === 6 && d[1] === 0)).toEqual([6, 0, 5, -5])
  })
})
