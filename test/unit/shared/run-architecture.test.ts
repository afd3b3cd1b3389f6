import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { completeHparams, defaultHparams, parseHparams } from '@shared/hparams'
import { parseArchitectureJson } from '@shared/architecture/parse-architecture'
import { presetArchitecture } from '@shared/presets'
import type { ImageShape } from '@shared/dataset'
import { modelLabel, modelName, modelTitle, runArchitecture, runMisfit, hasBatchNorm } from '@shared/run-architecture'
import { hparamDiff } from '@shared/compare-model'

const parsed = parseArchitectureJson(
  readFileSync(resolve(import.meta.dirname, '../../../examples/architectures/small-resnet.json'), 'utf8')
)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const resnet = parsed.architecture
const custom = () => {
  const r = completeHparams({ preset: 'custom', architecture: resnet, epochs: 2 })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}
const FASHION: ImageShape = { height: 28, width: 28, channels: 1 }

describe('hyperparameters of a custom run', () => {
  it('parse hyperparameters stored before custom architectures unchanged, with no architecture', () => {
    const { architecture: _a, ...old } = defaultHparams('cnn-shallow')
    const r = parseHparams(JSON.parse(JSON.stringify(old)))
    expect(r).toEqual({ ok: true, value: { ...old, architecture: null } })
  })

  it('carry the architecture exactly, and survive a JSON round trip (how runs.hparams stores them)', () => {
    const h = custom()
    expect(h.preset).toBe('custom')
    expect(parseHparams(JSON.parse(JSON.stringify(h)))).toEqual({ ok: true, value: h })
  })

  it('refuse a custom run without an architecture, and a preset with one', () => {
    const missing = parseHparams({ ...defaultHparams('dense'), preset: 'custom' })
    expect(missing).toMatchObject({ ok: false, errors: [{ path: 'architecture', message: 'a custom run needs its architecture' }] })
    const both = parseHparams({ ...defaultHparams('dense'), architecture: resnet })
    expect(both).toMatchObject({ ok: false, errors: [{ path: 'architecture', message: expect.stringMatching(/set preset to "custom"/) }] })
  })

  it('bound a hostile architecture before zod walks it (deep nesting is one issue, not a stack overflow)', () => {
    let layer: unknown = { kind: 'relu' }
    for (let i = 0; i < 50_000; i++) layer = { kind: 'residual', layers: [layer] }
    const r = parseHparams({ ...defaultHparams('dense'), preset: 'custom', architecture: { name: 'deep', layers: [layer] } })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0].message).toMatch(/nest more than 8 deep/)
  })
})

describe('a run’s architecture and title', () => {
  it('is the preset’s for a preset run, the run’s own for a custom one', () => {
    expect(runArchitecture(defaultHparams('cnn-bn'))).toEqual(presetArchitecture('cnn-bn'))
    expect(runArchitecture(custom())).toEqual(resnet)
    expect(modelTitle(modelLabel(defaultHparams('cnn-shallow')))).toBe('Shallow CNN')
    expect(modelTitle(modelLabel(custom()))).toBe('small-resnet')
    expect(modelTitle({ preset: 'custom', architectureName: null })).toBe('Custom architecture')
    expect(modelName(modelLabel(custom()))).toBe('custom: small-resnet')
    expect(modelName(modelLabel(defaultHparams('cnn-bn')))).toBe('cnn-bn')
  })

  it('tells different architectures apart in Compare, even under one name', () => {
    const other = { ...custom(), architecture: { ...resnet, layers: resnet.layers.slice(1) } }
    const [row] = hparamDiff([{ hparams: custom() }, { hparams: other }]).filter((d) => d.path === 'architecture')
    expect(row.values.map(String)).toEqual([
      expect.stringMatching(/^small-resnet · 10 layers · [0-9a-f]{6}$/),
      expect.stringMatching(/^small-resnet · 9 layers · [0-9a-f]{6}$/)
    ])
    expect(hparamDiff([{ hparams: custom() }, { hparams: custom() }])).toEqual([])
  })

  it('says in one line, naming the layer, why an architecture cannot take a dataset', () => {
    expect(runMisfit(custom(), FASHION, 10)).toBeNull()
    expect(runMisfit(custom(), FASHION, 1_000_000)).toMatch(/^Architecture small-resnet: layer 9 \(output\)/)
    expect(runMisfit(defaultHparams('cnn-deep'), { ...FASHION, height: 4, width: 4 }, 10)).toMatch(/Deep CNN preset needs larger images/)
  })

  it('finds batch normalisation inside residual blocks (the unsettled-statistics diagnosis)', () => {
    expect(hasBatchNorm(resnet.layers)).toBe(true)
    expect(hasBatchNorm(presetArchitecture('dense').layers)).toBe(false)
  })
})
