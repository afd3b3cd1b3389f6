/** `show` names the classes of the run's own dataset, whatever their number. */
import { describe, expect, it } from 'vitest'
import { builtinRef } from '@shared/dataset'
import type { RunDetail } from '@shared/run'
import { architectureLine, datasetLine, metricsLines } from '@main/cli/show-commands'
import { completeHparams, defaultHparams } from '@shared/hparams'

const three = { ...builtinRef('cifar10')!, name: 'pets', title: 'Pets', source: 'folder' as const, classNames: ['cat', 'dog', 'お'] }
const perClass = [0, 1, 2].map(() => ({ precision: 0.5, recall: 0.5, f1: 0.5, support: 4 }))
const run = {
  dataset: three,
  datasetChecksum: 'f'.repeat(64),
  metrics: {
    testAccuracy: 0.5,
    testLoss: 1.1,
    perClass,
    confusion: [
      [2, 1, 1],
      [1, 2, 1],
      [1, 1, 2]
    ]
  }
} as unknown as RunDetail

describe('show', () => {
  it("prints the run's dataset and its class names in the per-class table and the confusion matrix", () => {
    expect(datasetLine(run)).toBe('dataset Pets (pets) · 3 classes · 32×32×3 · checksum ffffffffffff…')
    // Queued, not loaded yet: the dataset's recorded content hash; neither known: a dash.
    expect(datasetLine({ ...run, datasetChecksum: null, dataset: { ...three, contentHash: 'a'.repeat(64) } })).toMatch(/checksum a{12}…$/)
    expect(datasetLine({ ...run, datasetChecksum: null, dataset: { ...three, contentHash: null } })).toMatch(/checksum —$/)
    const text = metricsLines(run).join('\n')
    expect(text).toMatch(/^cat +50\.00%/m)
    expect(text).toMatch(/^お +50\.00%/m)
    expect(text).toMatch(/^true \\ pred +0 +1 +2 *$/m)
    expect(text).toMatch(/^2 お +1 +1 +2 *$/m)
    expect(text).not.toContain('T-shirt')
  })

  it('names the architecture and counts its parameters for the run’s dataset, preset or custom', () => {
    const fashion = builtinRef('fashion-mnist')!
    expect(architectureLine({ preset: 'dense', architectureName: null, hparams: defaultHparams('dense'), dataset: fashion })).toBe(
      'architecture Dense (dense) · 118,282 parameters'
    )
    const architecture = { name: 'tiny', layers: [{ kind: 'flatten' as const }, { kind: 'output' as const }] }
    const custom = completeHparams({ preset: 'custom', architecture })
    if (!custom.ok) throw new Error(JSON.stringify(custom.errors))
    // 32 × 32 × 3 inputs to 3 classes: 3,072 × 3 + 3.
    expect(architectureLine({ preset: 'custom', architectureName: 'tiny', hparams: custom.value, dataset: three })).toBe(
      'architecture tiny · 9,219 parameters'
    )
  })
})
