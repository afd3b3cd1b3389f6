import { describe, expect, it } from 'vitest'
import { parseArchitecture, parseArchitectureJson } from '@shared/architecture/parse-architecture'
import { MAX_DEPTH, MAX_LAYERS } from '@shared/architecture/architecture-schema'
import { PRESET_IDS, PRESETS } from '@shared/presets'

const file = (layers: unknown[]) => ({ name: 'test', layers })
/** The first problem's message, or null when the file is accepted. */
const problem = (value: unknown): string | null => {
  const r = parseArchitecture(value)
  return r.ok ? null : r.issues[0].message
}

describe('parseArchitecture', () => {
  it('accepts every preset’s layers unchanged, filling in the defaults', () => {
    for (const id of PRESET_IDS) expect(problem(file(PRESETS[id].layers)), id).toBeNull()
    const r = parseArchitecture(file([{ kind: 'conv2d', filters: 8, kernel: 3 }, { kind: 'maxPool', size: 2 }, { kind: 'batchNorm' }]))
    expect(r.ok && r.architecture.layers).toEqual([
      { kind: 'conv2d', filters: 8, kernel: 3, stride: 1, padding: 'valid', bias: true },
      { kind: 'maxPool', size: 2 },
      { kind: 'batchNorm', momentum: 0.99, epsilon: 0.001 }
    ])
  })

  it('accepts every layer kind, nested residual blocks and an editor’s $schema line', () => {
    const all = [
      { kind: 'depthwiseConv2d', kernel: 3, stride: 2, padding: 'same', depthMultiplier: 2, activation: 'swish', bias: false },
      { kind: 'separableConv2d', filters: 16, kernel: 5, activation: 'leakyRelu' },
      { kind: 'avgPool', size: 3, stride: 1 },
      {
        kind: 'residual',
        layers: [
          { kind: 'residual', layers: [{ kind: 'gelu' }] },
          { kind: 'leakyRelu', alpha: 0.1 }
        ]
      },
      ...['relu', 'elu', 'gelu', 'swish', 'tanh', 'sigmoid', 'globalAvgPool', 'flatten'].map((kind) => ({ kind })),
      { kind: 'dropout', rate: 0 },
      { kind: 'dense', units: 4096, activation: 'tanh', bias: false },
      { kind: 'output' }
    ]
    expect(problem({ $schema: '../schema/architecture.schema.json', ...file(all) })).toBeNull()
  })

  it('names the layer path and the field of every kind of mistake', () => {
    const cases: [unknown, string][] = [
      [file([{ kind: 'relu' }, { kind: 'conv3d' }]), 'layer 1 (conv3d): unknown kind "conv3d"; use one of conv2d, depthwiseConv2d'],
      [file([{ filters: 3 }]), 'layer 0: needs a "kind" (one of conv2d'],
      [file([{ kind: 'dense', units: '128' }]), 'layer 0 (dense) field "units": must be a number, not "128"'],
      [file([{ kind: 'conv2d', filters: 8, kernel: 2.5 }]), 'layer 0 (conv2d) field "kernel": must be a whole number, not 2.5'],
      [file([{ kind: 'conv2d', filters: 8 }]), 'layer 0 (conv2d) field "kernel": is missing (expected a number)'],
      [file([{ kind: 'conv2d', filters: 5000, kernel: 3 }]), 'layer 0 (conv2d) field "filters": must be at most 4096, not 5000'],
      [file([{ kind: 'conv2d', filters: 8, kernel: 16 }]), 'layer 0 (conv2d) field "kernel": must be at most 15, not 16'],
      [file([{ kind: 'dense', units: 0 }]), 'layer 0 (dense) field "units": must be at least 1, not 0'],
      [file([{ kind: 'dropout', rate: 1 }]), 'layer 0 (dropout) field "rate": must be below 1, not 1'],
      [
        file([{ kind: 'conv2d', filters: 8, kernel: 3, padding: 'full' }]),
        'layer 0 (conv2d) field "padding": must be one of "valid", "same", not "full"'
      ],
      [file([{ kind: 'relu', alpha: 0.1 }]), 'layer 0 (relu): unknown key "alpha"; remove it'],
      [
        file([{ kind: 'residual', layers: [{ kind: 'relu' }, { kind: 'dense', units: 8, actvation: 'relu' }] }]),
        'layer 0.1 (dense): unknown key "actvation"'
      ],
      [file([{ kind: 'residual', layers: [] }]), 'layer 0 (residual) field "layers": must not be empty'],
      [{ name: 'x', layers: [{ kind: 'output' }], extra: 1 }, 'the file: unknown key "extra"; remove it'],
      [{ layers: [{ kind: 'relu' }] }, 'the file\'s "name": is missing (expected a string)'],
      [{ name: 'x', layers: [] }, 'the file\'s "layers": must not be empty'],
      [[1], 'the file: must be an object, not [1]']
    ]
    for (const [value, message] of cases) expect(problem(value), message).toContain(message)
  })

  it(`refuses residual blocks nested deeper than ${MAX_DEPTH} and more than ${MAX_LAYERS} layers, without deep recursion`, () => {
    const nest = (depth: number) => {
      let layer: unknown = { kind: 'relu' }
      for (let i = 0; i < depth; i++) layer = { kind: 'residual', layers: [layer] }
      return file([layer])
    }
    expect(problem(nest(MAX_DEPTH))).toBeNull()
    expect(problem(nest(MAX_DEPTH + 1))).toMatch(/^layer 0(\.0){8} \(residual\): residual blocks nest more than 8 deep/)
    // A hostile file: 200,000 levels would overflow the stack of a recursive walk.
    expect(problem(nest(200_000))).toMatch(/nest more than 8 deep/)
    expect(
      problem(
        JSON.parse('{"name":"x","layers":[' + '{"kind":"residual","layers":['.repeat(5000) + '{"kind":"relu"}' + ']}'.repeat(5000) + ']}')
      )
    ).toMatch(/nest more than 8 deep/)
    const relus = (n: number) => Array.from({ length: n }, () => ({ kind: 'relu' }))
    expect(problem(file(relus(MAX_LAYERS)))).toBeNull()
    expect(problem(file(relus(MAX_LAYERS + 1)))).toMatch(/more than 200 layers/)
    // Layers inside blocks count too.
    expect(
      problem(
        file([
          { kind: 'residual', layers: relus(150) },
          { kind: 'residual', layers: relus(60) }
        ])
      )
    ).toMatch(/more than 200 layers/)
  })
})

describe('parseArchitectureJson', () => {
  it('reads a file’s text, and says where JSON breaks on one line', () => {
    expect(parseArchitectureJson('{"name": "a", "layers": [{"kind": "output"}]}').ok).toBe(true)
    const at = (text: string) => {
      const r = parseArchitectureJson(text)
      return r.ok ? null : r.issues[0].message
    }
    expect(at('{\n  "name": "a" "layers": []\n}')).toMatch(/^not valid JSON at line 2, column 15: /)
    expect(at('{\n  "name": "a",\n  "layers": [\n')).toMatch(/^not valid JSON at line 4, column 1: Unexpected end of JSON input$/)
    const snippet = at('{\n  "layers": [,]\n}')
    expect(snippet).toMatch(/^not valid JSON/)
    expect(snippet).not.toContain('\n')
  })
})
