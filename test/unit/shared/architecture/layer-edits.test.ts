import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { parseArchitecture } from '@shared/architecture/parse-architecture'
import { MAX_DEPTH, MAX_LAYERS } from '@shared/architecture/architecture-schema'
import {
  countLayers,
  duplicateLayer,
  insertLayer,
  LAYER_KINDS,
  layerAt,
  moveLayer,
  newLayer,
  removeLayer,
  toDraft,
  updateLayer,
  type DraftArchitecture,
  type LayerEdit
} from '@shared/architecture/layer-edits'
import { layerFields } from '@shared/architecture/layer-fields'
import { presetArchitecture } from '@shared/presets'

const resnet = (): DraftArchitecture => toDraft(JSON.parse(readFileSync('examples/architectures/small-resnet.json', 'utf8')))!
const done = (edit: LayerEdit): { arch: DraftArchitecture; path: number[] } => {
  if (!edit.ok) throw new Error(edit.reason)
  return edit
}
const kinds = (layers: DraftArchitecture['layers']): unknown[] => layers.map((l) => l.kind)
const valid = (arch: DraftArchitecture): boolean => parseArchitecture(arch).ok

describe('structural edits of an architecture', () => {
  it('gives every kind a new layer the schema accepts, defaults filled in', () => {
    for (const kind of LAYER_KINDS) expect(parseArchitecture({ name: 'x', layers: [newLayer(kind)] }).ok, kind).toBe(true)
    expect(newLayer('conv2d')).toEqual({ kind: 'conv2d', filters: 32, kernel: 3, stride: 1, padding: 'same', bias: true })
    expect(newLayer('batchNorm')).toEqual({ kind: 'batchNorm', momentum: 0.99, epsilon: 0.001 })
  })

  it('adds, duplicates, moves and removes, the result always valid and the edited layer located', () => {
    let arch = resnet()
    const before = countLayers(arch.layers)
    let edit = done(insertLayer(arch, [2], newLayer('dropout')))
    expect(edit.path).toEqual([2])
    expect(layerAt(edit.arch, [2])?.kind).toBe('dropout')
    arch = edit.arch
    expect(valid(arch)).toBe(true)

    edit = done(moveLayer(arch, [2], 1))
    expect(edit.path).toEqual([3])
    expect(layerAt(edit.arch, [3])?.kind).toBe('dropout')
    arch = edit.arch

    edit = done(duplicateLayer(arch, [4]))
    expect(edit.path).toEqual([5])
    expect(layerAt(edit.arch, [5])).toEqual(layerAt(edit.arch, [4]))
    expect(countLayers(edit.arch.layers)).toBe(before + 1 + 6)
    arch = edit.arch
    expect(valid(arch)).toBe(true)

    edit = done(removeLayer(arch, [3]))
    expect(edit.path).toEqual([3])
    expect(valid(edit.arch)).toBe(true)
  })

  it('edits inside a residual block and never leaves an empty one', () => {
    const arch = resnet()
    const block = arch.layers.findIndex((l) => l.kind === 'residual')
    const moved = done(moveLayer(arch, [block, 1], -1))
    expect(kinds(layerAt(moved.arch, [block])!.layers as DraftArchitecture['layers']).slice(0, 2)).toEqual(['batchNorm', 'conv2d'])
    expect(moved.path).toEqual([block, 0])

    let one: DraftArchitecture = {
      name: 'x',
      layers: [{ kind: 'flatten' }, { kind: 'residual', layers: [{ kind: 'relu' }] }, { kind: 'output' }]
    }
    expect(valid(one)).toBe(true)
    one = done(removeLayer(one, [1, 0])).arch
    expect(kinds(one.layers)).toEqual(['flatten', 'output'])
    expect(valid(one)).toBe(true)
  })

  it('refuses what the schema could not hold, leaving the architecture as it was', () => {
    const single: DraftArchitecture = { name: 'x', layers: [{ kind: 'output' }] }
    expect(removeLayer(single, [0])).toMatchObject({ ok: false, reason: 'an architecture needs at least one layer' })
    expect(moveLayer(single, [0], -1)).toMatchObject({ ok: false })
    expect(moveLayer(single, [0], 1)).toMatchObject({ ok: false })

    const full: DraftArchitecture = { name: 'x', layers: Array.from({ length: MAX_LAYERS }, () => ({ kind: 'relu' })) }
    expect(duplicateLayer(full, [0])).toMatchObject({ ok: false })
    expect(full.layers).toHaveLength(MAX_LAYERS)

    let nested: DraftArchitecture['layers'][number] = { kind: 'relu' }
    for (let d = 0; d < MAX_DEPTH; d++) nested = { kind: 'residual', layers: [nested] }
    const deep: DraftArchitecture = { name: 'x', layers: [{ kind: 'flatten' }, nested, { kind: 'output' }] }
    expect(valid(deep)).toBe(true)
    const innermost = [1, ...Array.from({ length: MAX_DEPTH - 1 }, () => 0)]
    expect(insertLayer(deep, [...innermost, 0], newLayer('residual'))).toMatchObject({ ok: false })
    expect(insertLayer(deep, [...innermost, 0], newLayer('relu')).ok).toBe(true)
  })

  it('sets and clears parameters without touching the input', () => {
    const arch: DraftArchitecture = { name: 'x', layers: [{ kind: 'conv2d', filters: 8, kernel: 3, activation: 'relu' }] }
    const edited = done(updateLayer(arch, [0], { filters: 0, activation: undefined })).arch
    expect(edited.layers[0]).toEqual({ kind: 'conv2d', filters: 0, kernel: 3 })
    expect(arch.layers[0]).toEqual({ kind: 'conv2d', filters: 8, kernel: 3, activation: 'relu' })
    // The value the schema refuses stays for the editor to name inline.
    const parsed = parseArchitecture(edited)
    expect(parsed.ok ? [] : parsed.issues.map((i) => [i.path, i.field])).toEqual([['0', 'filters']])
  })

  it('reads a draft only from JSON with the structure the editor needs', () => {
    expect(toDraft(presetArchitecture('cnn-bn'))).not.toBeNull()
    expect(toDraft({ name: 'x', layers: [{ kind: 'relu' }, { kind: 'residual', layers: [{ kind: 'relu', filters: -1 }] }] })).not.toBeNull()
    expect(toDraft({ name: 'x', layers: 3 })).toBeNull()
    expect(toDraft({ name: 'x', layers: [1] })).toBeNull()
    expect(toDraft({ name: 'x', layers: [{ kind: 'residual', layers: 'no' }] })).toBeNull()
    expect(toDraft([])).toBeNull()
  })
})

describe('layer fields from the schema', () => {
  it('offers numbers, choices and yes/no as the schema declares them', () => {
    expect(layerFields('conv2d').map((f) => [f.name, f.type, f.optional])).toEqual([
      ['filters', 'number', false],
      ['kernel', 'number', false],
      ['stride', 'number', true],
      ['padding', 'choice', true],
      ['activation', 'choice', true],
      ['bias', 'boolean', true]
    ])
    expect(layerFields('conv2d').find((f) => f.name === 'padding')).toMatchObject({ options: ['valid', 'same'], defaultValue: 'valid' })
    expect(layerFields('dense').find((f) => f.name === 'activation')?.options).toContain('softmax')
    expect(layerFields('dense').find((f) => f.name === 'units')).toMatchObject({ integer: true, min: 1, max: 4096 })
    expect(layerFields('relu')).toEqual([])
    expect(layerFields('residual')).toEqual([])
  })
})
