import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { collapseUnchanged, diffArchitectures, diffCounts, type ArchitectureDiffRow } from '@shared/architecture/architecture-diff'
import { parseArchitecture } from '@shared/architecture/parse-architecture'
import type { Layer } from '@shared/architecture/architecture-schema'
import { presetArchitecture } from '@shared/presets'

const layers = (raw: unknown[]): Layer[] => {
  const parsed = parseArchitecture({ name: 'x', layers: raw })
  if (!parsed.ok) throw new Error(parsed.issues[0].message)
  return parsed.architecture.layers
}
/** `status a-path b-path changed…` per row, easy to read in a failure. */
const brief = (rows: ArchitectureDiffRow[]): string[] =>
  rows.map((r) => [r.status, r.a ? `${r.a.path}:${r.a.kind}` : '-', r.b ? `${r.b.path}:${r.b.kind}` : '-', ...r.changed].join(' '))

const conv = (filters: number, extra: object = {}) => ({ kind: 'conv2d', filters, kernel: 3, padding: 'same', ...extra })

describe('diffArchitectures', () => {
  it('finds nothing to say about an architecture and itself', () => {
    const a = presetArchitecture('cnn-bn').layers
    const rows = diffArchitectures(a, a)
    expect(rows.every((r) => r.status === 'same')).toBe(true)
    expect(rows).toHaveLength(a.length)
  })

  it('aligns identical layers and names an inserted one, a removed one and a changed parameter', () => {
    const a = layers([
      conv(32),
      { kind: 'relu' },
      { kind: 'maxPool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dropout', rate: 0.2 },
      { kind: 'output' }
    ])
    const b = layers([
      conv(32),
      { kind: 'relu' },
      conv(64, { stride: 2 }),
      { kind: 'relu' },
      { kind: 'maxPool', size: 2 },
      { kind: 'flatten' },
      { kind: 'output' }
    ])
    expect(brief(diffArchitectures(a, b))).toEqual([
      'same 0:conv2d 0:conv2d',
      'same 1:relu 1:relu',
      'added - 2:conv2d',
      'added - 3:relu',
      'same 2:maxPool 4:maxPool',
      'same 3:flatten 5:flatten',
      'removed 4:dropout -',
      'same 5:output 6:output'
    ])
  })

  it('pairs layers of one kind whose parameters differ, naming the parameters (defaults count as written)', () => {
    const a = layers([conv(32), { kind: 'flatten' }, { kind: 'dense', units: 64 }, { kind: 'output' }])
    const b = layers([
      conv(32, { stride: 1, bias: false }),
      { kind: 'flatten' },
      { kind: 'dense', units: 128, activation: 'relu' },
      { kind: 'output' }
    ])
    const rows = diffArchitectures(a, b)
    expect(brief(rows)).toEqual([
      'changed 0:conv2d 0:conv2d bias',
      'same 1:flatten 1:flatten',
      'changed 2:dense 2:dense units activation',
      'same 3:output 3:output'
    ])
    expect(diffCounts(rows)).toEqual({ same: 2, changed: 2, added: 0, removed: 0 })
  })

  it('diffs residual blocks layer by layer, and lists a block only on one side with all its layers', () => {
    const resnet = JSON.parse(readFileSync('examples/architectures/small-resnet.json', 'utf8')) as { layers: unknown[] }
    const a = layers(resnet.layers)
    const edited = structuredClone(resnet.layers) as Array<{ kind: string; layers?: Array<Record<string, unknown>> }>
    const block = edited.findIndex((l) => l.kind === 'residual')
    edited[block]!.layers!.splice(1, 1) // the block's batchNorm
    const rows = diffArchitectures(a, layers(edited))
    expect(rows.find((r) => r.a?.path === String(block))).toMatchObject({ status: 'changed', changed: ['layers'] })
    expect(brief(rows).filter((r) => !r.startsWith('same'))).toEqual([
      `changed ${block}:residual ${block}:residual layers`,
      `removed ${block}.1:batchNorm -`
    ])

    const plain = layers([{ kind: 'flatten' }, { kind: 'output' }])
    const withBlock = layers([
      { kind: 'flatten' },
      { kind: 'residual', layers: [{ kind: 'dense', units: 784 }, { kind: 'relu' }] },
      { kind: 'output' }
    ])
    const added = diffArchitectures(plain, withBlock)
    expect(brief(added)).toEqual([
      'same 0:flatten 0:flatten',
      'added - 1:residual',
      'added - 1.0:dense',
      'added - 1.1:relu',
      'same 1:output 2:output'
    ])
    expect(added.map((r) => r.depth)).toEqual([0, 0, 1, 1, 0])
    expect(added[1]!.b!.fields).toEqual([['layers', 2]])
  })

  it('lists every layer of both sides once, in order, whatever the two are', () => {
    const ids = ['dense', 'cnn-shallow', 'cnn-deep', 'cnn-bn'] as const
    for (const x of ids) {
      for (const y of ids) {
        const a = presetArchitecture(x).layers
        const b = presetArchitecture(y).layers
        const rows = diffArchitectures(a, b)
        expect(rows.flatMap((r) => (r.a ? [r.a.path] : []))).toEqual(a.map((_, i) => String(i)))
        expect(rows.flatMap((r) => (r.b ? [r.b.path] : []))).toEqual(b.map((_, i) => String(i)))
        for (const r of rows) if (r.a && r.b) expect(r.a.kind).toBe(r.b.kind)
      }
    }
  })
})

describe('collapseUnchanged', () => {
  it('folds runs of unchanged rows and keeps every row once', () => {
    const a = layers([
      conv(8),
      { kind: 'relu' },
      conv(8),
      { kind: 'relu' },
      { kind: 'flatten' },
      { kind: 'dense', units: 10 },
      { kind: 'output' }
    ])
    const b = layers([
      conv(8),
      { kind: 'relu' },
      conv(8),
      { kind: 'relu' },
      { kind: 'flatten' },
      { kind: 'dense', units: 20 },
      { kind: 'output' }
    ])
    const rows = diffArchitectures(a, b)
    const shown = collapseUnchanged(rows)
    expect(shown.map((s) => (s.type === 'row' ? s.row.status : `${s.rows.length} unchanged`))).toEqual(['5 unchanged', 'changed', 'same'])
    expect(shown.flatMap((s) => (s.type === 'row' ? [s.row] : s.rows))).toEqual(rows)
  })
})
