import { describe, expect, it } from 'vitest'
import { parseArchitecture } from '@shared/architecture/parse-architecture'
import { inferArchitecture, MAX_PARAMS, type InferenceResult } from '@shared/architecture/infer-architecture'
import { layerTable, PRESET_IDS, presetArchitecture } from '@shared/presets'

const fashion = { shape: { height: 28, width: 28, channels: 1 }, classCount: 10 }

function infer(layers: unknown[], input = fashion): InferenceResult {
  const parsed = parseArchitecture({ name: 'test', layers })
  if (!parsed.ok) throw new Error(parsed.issues[0].message)
  return inferArchitecture(parsed.architecture, input)
}
const rowsOf = (layers: unknown[]) => {
  const r = infer(layers)
  if (!r.ok) throw new Error(r.error.message)
  return r.rows.map(({ path, name, outputShape, params, macs }) => [path, name, outputShape.join('×'), params, macs])
}
const refusal = (layers: unknown[], input = fashion) => {
  const r = infer(layers, input)
  return r.ok ? null : r.error
}

/** The seed models' layer tables at 28×28×1 and 10 classes, as presets.ts computed them before architectures existed (and the README shows). */
const SEED_TABLES: Record<string, [string, string, number][]> = {
  dense: [
    ['Flatten', '784', 0],
    ['Dense 128 relu', '128', 100480],
    ['Dense 128 relu', '128', 16512],
    ['Dense 10 softmax', '10', 1290]
  ],
  'cnn-shallow': [
    ['Conv2D 32 3×3 valid relu', '26×26×32', 320],
    ['MaxPool 2×2', '13×13×32', 0],
    ['Conv2D 64 3×3 valid relu', '11×11×64', 18496],
    ['MaxPool 2×2', '5×5×64', 0],
    ['Dropout 0.25', '5×5×64', 0],
    ['Flatten', '1600', 0],
    ['Dense 128 relu', '128', 204928],
    ['Dense 10 softmax', '10', 1290]
  ],
  'cnn-deep': [
    ['Conv2D 32 3×3 same relu', '28×28×32', 320],
    ['MaxPool 2×2', '14×14×32', 0],
    ['Conv2D 64 3×3 same relu', '14×14×64', 18496],
    ['MaxPool 2×2', '7×7×64', 0],
    ['Conv2D 128 3×3 same relu', '7×7×128', 73856],
    ['MaxPool 2×2', '3×3×128', 0],
    ['Flatten', '1152', 0],
    ['Dense 128 relu', '128', 147584],
    ['Dense 10 softmax', '10', 1290]
  ],
  'cnn-bn': [
    ['Conv2D 32 3×3 same', '28×28×32', 320],
    ['BatchNorm', '28×28×32', 128],
    ['ReLU', '28×28×32', 0],
    ['Conv2D 32 3×3 same', '28×28×32', 9248],
    ['BatchNorm', '28×28×32', 128],
    ['ReLU', '28×28×32', 0],
    ['MaxPool 2×2', '14×14×32', 0],
    ['Dropout 0.25', '14×14×32', 0],
    ['Conv2D 64 3×3 same', '14×14×64', 18496],
    ['BatchNorm', '14×14×64', 256],
    ['ReLU', '14×14×64', 0],
    ['Conv2D 64 3×3 same', '14×14×64', 36928],
    ['BatchNorm', '14×14×64', 256],
    ['ReLU', '14×14×64', 0],
    ['MaxPool 2×2', '7×7×64', 0],
    ['Dropout 0.25', '7×7×64', 0],
    ['Flatten', '3136', 0],
    ['Dense 512', '512', 1606144],
    ['BatchNorm', '512', 2048],
    ['ReLU', '512', 0],
    ['Dropout 0.5', '512', 0],
    ['Dense 10 softmax', '10', 5130]
  ]
}

describe('inferArchitecture', () => {
  it('gives the presets the rows and parameter counts their layer tables had (the README’s figures)', () => {
    const expected = { dense: 118_282, 'cnn-shallow': 225_034, 'cnn-deep': 241_546, 'cnn-bn': 1_679_082 }
    for (const id of PRESET_IDS) {
      const r = inferArchitecture(presetArchitecture(id), fashion)
      expect(r.ok, id).toBe(true)
      if (!r.ok) continue
      expect(r.totalParams, id).toBe(expected[id])
      expect(r.rows.map((row) => [row.name, row.outputShape.join('×'), row.params])).toEqual(SEED_TABLES[id])
      expect(layerTable(id).map((row) => [row.name, row.outputShape.join('×'), row.params])).toEqual(SEED_TABLES[id])
    }
    const shallow = inferArchitecture(presetArchitecture('cnn-shallow'), fashion)
    // 26·26·9·32 + 11·11·9·32·64 + 1600·128 + 128·10
    expect(shallow.ok && shallow.totalMacs).toBe(194_688 + 2_230_272 + 204_800 + 1_280)
  })

  it('adds a residual block to its input as it is when the shapes agree', () => {
    const conv = { kind: 'conv2d', filters: 16, kernel: 3, padding: 'same' }
    expect(rowsOf([conv, { kind: 'residual', layers: [conv, { kind: 'relu' }] }, { kind: 'globalAvgPool' }, { kind: 'output' }])).toEqual([
      ['0', 'Conv2D 16 3×3 same', '28×28×16', 160, 28 * 28 * 9 * 16],
      ['1', 'Residual (2 layers)', '28×28×16', 0, 0],
      ['1.0', 'Conv2D 16 3×3 same', '28×28×16', 2_320, 28 * 28 * 9 * 16 * 16],
      ['1.1', 'ReLU', '28×28×16', 0, 0],
      ['2', 'GlobalAvgPool', '16', 0, 0],
      ['3', 'Dense 10 softmax', '10', 170, 160]
    ])
  })

  it('counts the strided 1×1 projection of a block that changes the shape', () => {
    const rows = rowsOf([
      { kind: 'conv2d', filters: 16, kernel: 3, padding: 'same' },
      { kind: 'residual', layers: [{ kind: 'conv2d', filters: 32, kernel: 3, stride: 2, padding: 'same' }] },
      { kind: 'flatten' },
      { kind: 'residual', layers: [{ kind: 'dense', units: 64 }] },
      { kind: 'output' }
    ])
    expect(rows[1]).toEqual(['1', 'Residual (1 layer) + projection 1×1 conv 32 stride 2', '14×14×32', 16 * 32 + 32, 14 * 14 * 16 * 32])
    expect(rows[2]).toEqual(['1.0', 'Conv2D 32 3×3 stride 2 same', '14×14×32', 9 * 16 * 32 + 32, 14 * 14 * 9 * 16 * 32])
    // A flat block projects with a dense layer.
    expect(rows[4]).toEqual(['3', 'Residual (1 layer) + projection dense 64', '64', 6272 * 64 + 64, 6272 * 64])
  })

  it('counts depthwise and separable convolutions as Keras does', () => {
    expect(
      rowsOf([
        { kind: 'depthwiseConv2d', kernel: 3, depthMultiplier: 2, padding: 'same' },
        { kind: 'separableConv2d', filters: 16, kernel: 3, activation: 'relu' },
        { kind: 'separableConv2d', filters: 8, kernel: 3, bias: false },
        { kind: 'avgPool', size: 3, stride: 2 },
        { kind: 'flatten' },
        { kind: 'output' }
      ]).slice(0, 4)
    ).toEqual([
      // 3·3·1·2 weights + 2 biases
      ['0', 'DepthwiseConv2D ×2 3×3 same', '28×28×2', 20, 28 * 28 * 9 * 2],
      // depthwise 3·3·2 (no bias) + pointwise 2·16 + 16 biases
      ['1', 'SeparableConv2D 16 3×3 valid relu', '26×26×16', 66, 26 * 26 * (9 * 2 + 2 * 16)],
      ['2', 'SeparableConv2D 8 3×3 valid no bias', '24×24×8', 9 * 16 + 16 * 8, 24 * 24 * (9 * 16 + 16 * 8)],
      ['3', 'AvgPool 3×3 stride 2', '11×11×8', 0, 0]
    ])
  })

  it('keeps the rows of the layers before the one it refuses, for an editor to draw', () => {
    const r = infer([
      { kind: 'conv2d', filters: 4, kernel: 3 },
      { kind: 'flatten' },
      { kind: 'conv2d', filters: 4, kernel: 3 },
      { kind: 'output' }
    ])
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.path).toBe('2')
    expect(r.rows.map((row) => [row.path, row.outputShape.join('×')])).toEqual([
      ['0', '26×26×4'],
      ['1', '2704']
    ])
  })

  it('refuses each impossible architecture naming the layer and what to change', () => {
    const cases: [unknown[], string, RegExp][] = [
      [
        [{ kind: 'dense', units: 10, activation: 'softmax' }],
        '0',
        /^layer 0 \(dense\): dense needs a flat input but gets 28×28×1; add flatten or globalAvgPool before it$/
      ],
      [
        [{ kind: 'conv2d', filters: 8, kernel: 15 }, { kind: 'conv2d', filters: 8, kernel: 15 }, { kind: 'flatten' }, { kind: 'output' }],
        '1',
        /^layer 1 \(conv2d\): Conv2D 8 15×15 valid would leave no pixels of its 14×14×8 input; .*padding "same", or use larger images$/
      ],
      [
        [{ kind: 'flatten' }, { kind: 'dense', units: 12 }],
        '1',
        /^layer 1 \(dense\): the last layer gives 12 outputs but the dataset has 10 classes; end with \{"kind": "output"\}/
      ],
      [
        [{ kind: 'conv2d', filters: 8, kernel: 3 }],
        '0',
        /^layer 0 \(conv2d\): the architecture ends in 26×26×8 values, not 10 class probabilities; add flatten or globalAvgPool/
      ],
      [[{ kind: 'flatten' }, { kind: 'dense', units: 10 }], '1', /the last layer must give class probabilities/],
      [
        [{ kind: 'flatten' }, { kind: 'dense', units: 32, activation: 'softmax' }, { kind: 'output' }],
        '1',
        /^layer 1 \(dense\): softmax belongs only on the last layer/
      ],
      [[{ kind: 'flatten' }, { kind: 'output' }, { kind: 'relu' }], '1', /^layer 1 \(output\): output must be the last layer/],
      [
        [{ kind: 'residual', layers: [{ kind: 'flatten' }] }, { kind: 'output' }],
        '0',
        /^layer 0 \(residual\): its layers turn 28×28×1 into 784, .*keep flatten, dense and globalAvgPool outside the block$/
      ],
      [
        [{ kind: 'residual', layers: [{ kind: 'conv2d', filters: 8, kernel: 3 }] }, { kind: 'flatten' }, { kind: 'output' }],
        '0',
        /turn 28×28 into 26×26, which no strided 1×1 projection .* use padding "same" inside the block/
      ],
      [
        [
          { kind: 'flatten' },
          { kind: 'residual', layers: [{ kind: 'relu' }, { kind: 'conv2d', filters: 4, kernel: 1 }] },
          { kind: 'output' }
        ],
        '1.1',
        /^layer 1\.1 \(conv2d\): conv2d needs an image \(H×W×C\) input but gets 784 values/
      ],
      [
        [{ kind: 'flatten' }, ...Array.from({ length: 4 }, () => ({ kind: 'dense', units: 4096 })), { kind: 'output' }],
        '2',
        /^layer 2 \(dense\): the architecture has 53,600,266 parameters, more than 50,000,000; this layer has 16,781,312/
      ]
    ]
    for (const [layers, path, message] of cases) {
      const error = refusal(layers)
      expect(error?.path, String(message)).toBe(path)
      expect(error?.message).toMatch(message)
    }
    expect(MAX_PARAMS).toBe(50_000_000)
    // `output` always fits the dataset.
    expect(refusal([{ kind: 'flatten' }, { kind: 'output' }], { shape: { height: 8, width: 8, channels: 3 }, classCount: 3 })).toBeNull()
  })
})
