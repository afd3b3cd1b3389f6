/**
 * Any architecture file builds into the model its layer table promises: the same output shape and
 * parameters per row, the same weights for the same seed, and the table's own refusal otherwise.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ImageShape } from '@shared/dataset'
import type { Architecture, ArchitectureInput } from '@shared/architecture/architecture-schema'
import { inferArchitecture, type Inference } from '@shared/architecture/infer-architecture'
import { parseArchitecture, parseArchitectureJson } from '@shared/architecture/parse-architecture'
import { initBackend } from '@main/core/tfjs/backend'
import { buildModel } from '@main/core/trainer/architectures'

function parse(input: ArchitectureInput | string): Architecture {
  const result = typeof input === 'string' ? parseArchitectureJson(input) : parseArchitecture(input)
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'))
  return result.architecture
}

const example = (file: string): Architecture =>
  parse(readFileSync(resolve(import.meta.dirname, '../../../../../examples/architectures', file), 'utf8'))

/** Every layer kind, every activation on a convolution or dense layer, and the three kinds of residual block. */
const EVERY_KIND = parse({
  name: 'every kind',
  layers: [
    { kind: 'conv2d', filters: 8, kernel: 3, stride: 2, padding: 'same', activation: 'leakyRelu', bias: false },
    { kind: 'depthwiseConv2d', kernel: 3, padding: 'same', depthMultiplier: 2, activation: 'gelu' },
    { kind: 'separableConv2d', filters: 12, kernel: 3, padding: 'same', activation: 'swish' },
    { kind: 'avgPool', size: 2, stride: 1 },
    { kind: 'batchNorm', momentum: 0.9, epsilon: 0.01 },
    { kind: 'leakyRelu', alpha: 0.1 },
    { kind: 'elu' },
    // Same shape in and out: added without a projection.
    {
      kind: 'residual',
      layers: [
        { kind: 'conv2d', filters: 12, kernel: 3, padding: 'same', activation: 'elu' },
        { kind: 'depthwiseConv2d', kernel: 3, padding: 'same', activation: 'leakyRelu', bias: false },
        { kind: 'gelu' }
      ]
    },
    // Halves the image and changes the channels: a strided 1×1 projection.
    {
      kind: 'residual',
      layers: [
        {
          kind: 'separableConv2d',
          filters: 16,
          kernel: 3,
          stride: 2,
          padding: 'same',
          depthMultiplier: 2,
          activation: 'tanh',
          bias: false
        },
        { kind: 'swish' },
        { kind: 'conv2d', filters: 16, kernel: 1, activation: 'sigmoid' }
      ]
    },
    { kind: 'maxPool', size: 3, stride: 2 },
    { kind: 'tanh' },
    { kind: 'sigmoid' },
    { kind: 'relu' },
    { kind: 'dropout', rate: 0.3 },
    { kind: 'globalAvgPool' },
    // Flat tensors: a dense projection, then none.
    { kind: 'residual', layers: [{ kind: 'dense', units: 24, activation: 'relu' }] },
    { kind: 'residual', layers: [{ kind: 'dense', units: 24, activation: 'leakyRelu', bias: false }, { kind: 'batchNorm' }] },
    { kind: 'dense', units: 20, activation: 'sigmoid' },
    { kind: 'dense', units: 20, activation: 'tanh' },
    { kind: 'output' }
  ]
})

/** Flatten, dense activations and the last layer as a softmax dense layer instead of `output`. */
const FLAT = parse({
  name: 'flat',
  layers: [
    { kind: 'conv2d', filters: 4, kernel: 5, activation: 'relu' },
    { kind: 'maxPool', size: 2 },
    { kind: 'flatten' },
    { kind: 'dense', units: 32, activation: 'elu' },
    { kind: 'dense', units: 16, activation: 'gelu' },
    { kind: 'dense', units: 16, activation: 'swish' },
    { kind: 'dropout', rate: 0.1 },
    { kind: 'dense', units: 4, activation: 'softmax' }
  ]
})

const CASES: Array<{ title: string; architecture: Architecture; shape: ImageShape; classCount: number }> = [
  {
    title: 'separable-cnn.json',
    architecture: example('separable-cnn.json'),
    shape: { height: 28, width: 28, channels: 1 },
    classCount: 10
  },
  { title: 'small-resnet.json', architecture: example('small-resnet.json'), shape: { height: 28, width: 28, channels: 1 }, classCount: 10 },
  {
    title: 'small-resnet.json on RGB',
    architecture: example('small-resnet.json'),
    shape: { height: 32, width: 32, channels: 3 },
    classCount: 4
  },
  { title: 'every layer kind', architecture: EVERY_KIND, shape: { height: 32, width: 32, channels: 3 }, classCount: 5 },
  { title: 'every layer kind on odd sides', architecture: EVERY_KIND, shape: { height: 27, width: 21, channels: 1 }, classCount: 3 },
  { title: 'flatten and dense activations', architecture: FLAT, shape: { height: 16, width: 16, channels: 3 }, classCount: 4 }
]

function infer(architecture: Architecture, shape: ImageShape, classCount: number): Inference {
  const result = inferArchitecture(architecture, { shape, classCount })
  if (!result.ok) throw new Error(result.error.message)
  return result
}

/**
 * The tf.js layers of a table row, by the names the builder gives them: `conv2d_8_1` for layer 8.1,
 * with `_act` (a LeakyReLU tf.js has no activation string for), and a block's `residual_8_projection`
 * and `residual_8_add`. The first is the one whose output the row states.
 */
function layersOfRow(model: tf.LayersModel, kind: string, path: string): tf.layers.Layer[] {
  const base = `${kind === 'output' ? 'dense' : kind}_${path.replace(/\./g, '_')}`
  const own = model.layers.filter((l) => new RegExp(`^${base}(_act|_projection|_add)?$`).test(l.name))
  // The block's sum is what it outputs.
  return kind === 'residual' ? own.sort((a) => (a.name.endsWith('_add') ? -1 : 1)) : own
}

/** The starting weights of `architecture` built with `seed`, by name as built. */
function startingWeights(architecture: Architecture, seed: number): Array<{ name: string; values: Float32Array }> {
  const model = buildModel({ architecture, seed, shape: { height: 20, width: 20, channels: 3 }, classCount: 5 })
  const weights = model.weights.map((w) => ({ name: w.originalName, values: w.read().dataSync() as Float32Array }))
  model.dispose()
  return weights
}

describe('buildModel from an architecture file', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  for (const { title, architecture, shape, classCount } of CASES) {
    it(`${title} at ${shape.height}×${shape.width}×${shape.channels}: each layer's output shape and parameters are its table row's`, () => {
      const inference = infer(architecture, shape, classCount)
      const model = buildModel({ architecture, seed: 7, shape, classCount })
      expect(model.inputs[0].shape).toEqual([null, shape.height, shape.width, shape.channels])
      expect(model.outputs[0].shape).toEqual([null, classCount])
      const claimed = new Set<string>()
      for (const row of inference.rows) {
        const layers = layersOfRow(model, row.kind, row.path)
        expect(layers.length, `layers of row ${row.path} (${row.kind})`).toBeGreaterThan(0)
        expect((layers[0].outputShape as number[]).slice(1), `output of row ${row.path}`).toEqual(row.outputShape)
        expect(
          layers.reduce((sum, l) => sum + l.countParams(), 0),
          `parameters of row ${row.path} (${row.name})`
        ).toBe(row.params)
        layers.forEach((l) => claimed.add(l.name))
      }
      // No layer outside the table: every tf.js layer but the input belongs to a row.
      expect(model.layers.filter((l) => l.getClassName() !== 'InputLayer' && !claimed.has(l.name)).map((l) => l.name)).toEqual([])
      expect(model.countParams()).toBe(inference.totalParams)
      model.dispose()
    })
  }

  it('projects a residual block’s input exactly when the table prices a projection', () => {
    const model = buildModel({ architecture: EVERY_KIND, seed: 1, shape: { height: 32, width: 32, channels: 3 }, classCount: 5 })
    const projections = model.layers.filter((l) => l.name.endsWith('_projection'))
    expect(projections.map((l) => [l.name, l.getClassName()])).toEqual([
      ['residual_8_projection', 'Conv2D'],
      ['residual_15_projection', 'Dense']
    ])
    expect((projections[0].getConfig() as { strides: number[] }).strides).toEqual([2, 2])
    expect(model.layers.filter((l) => l.getClassName() === 'Add')).toHaveLength(4)
    model.dispose()
  })

  it('gives the same weights for the same seed, and different kernels for another seed', () => {
    const a = startingWeights(EVERY_KIND, 11)
    const b = startingWeights(EVERY_KIND, 11)
    const c = startingWeights(EVERY_KIND, 12)
    expect(b).toEqual(a)
    const kernels = a.flatMap((w, i) => (/kernel$/.test(w.name) ? [i] : []))
    // Conv, depthwise, separable (two each), dense and projection kernels.
    expect(kernels.length).toBeGreaterThanOrEqual(12)
    for (const i of kernels) expect(c[i].values, a[i].name).not.toEqual(a[i].values)
    // A separable layer's two kernels come from different streams, not one stream cut twice.
    const depthwise = a.find((w) => w.name === 'separableConv2d_2/depthwise_kernel')!.values
    const pointwise = a.find((w) => w.name === 'separableConv2d_2/pointwise_kernel')!.values
    expect(Array.from(pointwise.subarray(0, 8)).map((v) => Math.sign(v))).not.toEqual(
      Array.from(depthwise.subarray(0, 8)).map((v) => Math.sign(v))
    )
  })

  it('seeds every dropout layer, so its masks can be stepped and repeated', () => {
    const model = buildModel({
      architecture: example('small-resnet.json'),
      seed: 3,
      shape: { height: 28, width: 28, channels: 1 },
      classCount: 10
    })
    const dropout = model.getLayer('dropout_8') as unknown as { seed?: number }
    expect(dropout.seed).toBe(
      3 + infer(example('small-resnet.json'), { height: 28, width: 28, channels: 1 }, 10).rows.findIndex((r) => r.path === '8')
    )
    model.dispose()
  })

  it('refuses what the layer table refuses, with its one-line message naming the layer, before any tensor exists', () => {
    const refused: Array<{ architecture: Architecture; shape: ImageShape }> = [
      // Pooled to nothing.
      { architecture: example('separable-cnn.json'), shape: { height: 3, width: 3, channels: 1 } },
      // A block that flattens cannot be added to its input.
      {
        architecture: parse({ name: 'flat block', layers: [{ kind: 'residual', layers: [{ kind: 'flatten' }] }, { kind: 'output' }] }),
        shape: { height: 8, width: 8, channels: 1 }
      },
      // A block whose valid convolution no strided projection matches.
      {
        architecture: parse({
          name: 'valid block',
          layers: [{ kind: 'residual', layers: [{ kind: 'conv2d', filters: 4, kernel: 3 }] }, { kind: 'globalAvgPool' }, { kind: 'output' }]
        }),
        shape: { height: 8, width: 8, channels: 1 }
      },
      // Dense on an image.
      {
        architecture: parse({ name: 'no flatten', layers: [{ kind: 'dense', units: 8 }, { kind: 'output' }] }),
        shape: { height: 8, width: 8, channels: 1 }
      }
    ]
    for (const { architecture, shape } of refused) {
      const result = inferArchitecture(architecture, { shape, classCount: 10 })
      if (result.ok) throw new Error(`${architecture.name} should be refused`)
      expect(result.error.message).toMatch(/^layer [\d.]+ \(\w+\): /)
      const before = tf.memory().numTensors
      expect(() => buildModel({ architecture, seed: 1, shape, classCount: 10 })).toThrow(result.error.message)
      expect(tf.memory().numTensors).toBe(before)
    }
  })

  it('still speaks of the preset when a preset does not fit', () => {
    expect(() => buildModel({ preset: 'cnn-deep', seed: 1, shape: { height: 4, width: 4, channels: 1 }, classCount: 2 })).toThrow(
      /Deep CNN preset needs larger images than 4×4/
    )
  })
})
