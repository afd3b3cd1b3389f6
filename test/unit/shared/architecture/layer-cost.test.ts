/** The inference counts what tf.js builds: the same layers made with tf.layers give the same shapes and parameters. */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseArchitecture } from '@shared/architecture/parse-architecture'
import { inferArchitecture } from '@shared/architecture/infer-architecture'
import type { Layer } from '@shared/architecture/architecture-schema'

type Plain = Exclude<Layer, { kind: 'residual' | 'output' }>

/** The tf.js layer for one plain layer (only what these cases use). */
function tfLayer(l: Plain): tf.layers.Layer {
  const conv = (x: { kernel: number; stride: number; padding: 'valid' | 'same'; bias: boolean }) => ({
    kernelSize: x.kernel,
    strides: x.stride,
    padding: x.padding,
    useBias: x.bias
  })
  switch (l.kind) {
    case 'conv2d':
      return tf.layers.conv2d({ filters: l.filters, ...conv(l) })
    case 'depthwiseConv2d':
      return tf.layers.depthwiseConv2d({ depthMultiplier: l.depthMultiplier, ...conv(l) })
    case 'separableConv2d':
      return tf.layers.separableConv2d({ filters: l.filters, depthMultiplier: l.depthMultiplier, ...conv(l) })
    case 'maxPool':
      return tf.layers.maxPooling2d({ poolSize: l.size, strides: l.stride ?? l.size })
    case 'avgPool':
      return tf.layers.averagePooling2d({ poolSize: l.size, strides: l.stride ?? l.size })
    case 'globalAvgPool':
      return tf.layers.globalAveragePooling2d({})
    case 'batchNorm':
      return tf.layers.batchNormalization({ momentum: l.momentum, epsilon: l.epsilon })
    case 'flatten':
      return tf.layers.flatten()
    case 'dense':
      return tf.layers.dense({ units: l.units, useBias: l.bias })
    default:
      return tf.layers.activation({ activation: 'relu' })
  }
}

/** Builds `layers` with the functional API: a residual block adds its input, through a 1×1 projection when the shapes differ. */
function build(layers: Layer[], input: tf.SymbolicTensor, classes: number): tf.SymbolicTensor {
  let x = input
  for (const l of layers) {
    if (l.kind === 'output') x = tf.layers.dense({ units: classes, activation: 'softmax' }).apply(x) as tf.SymbolicTensor
    else if (l.kind === 'residual') {
      const out = build(l.layers, x, classes)
      let shortcut = x
      const [, ...inShape] = x.shape
      const [, ...outShape] = out.shape
      if (inShape.join() !== outShape.join()) {
        const stride = Math.round((inShape[0] as number) / (outShape[0] as number))
        shortcut = (
          outShape.length === 1
            ? tf.layers.dense({ units: outShape[0] as number })
            : tf.layers.conv2d({ filters: outShape[2] as number, kernelSize: 1, strides: stride, padding: 'same' })
        ).apply(x) as tf.SymbolicTensor
      }
      x = tf.layers.add().apply([out, shortcut]) as tf.SymbolicTensor
    } else x = tfLayer(l).apply(x) as tf.SymbolicTensor
  }
  return x
}

const shape = { height: 20, width: 18, channels: 3 }
const CLASSES = 5

describe('layer costs against tf.js', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('agree on output shapes and parameters for every kind with parameters, strides and projections', () => {
    const parsed = parseArchitecture({
      name: 'all',
      layers: [
        { kind: 'conv2d', filters: 8, kernel: 3, stride: 2, padding: 'same', bias: false },
        { kind: 'batchNorm', momentum: 0.9 },
        { kind: 'depthwiseConv2d', kernel: 3, depthMultiplier: 2, padding: 'same' },
        { kind: 'separableConv2d', filters: 12, kernel: 3, depthMultiplier: 2 },
        { kind: 'avgPool', size: 3, stride: 1 },
        { kind: 'residual', layers: [{ kind: 'conv2d', filters: 12, kernel: 3, padding: 'same' }, { kind: 'relu' }] },
        { kind: 'residual', layers: [{ kind: 'conv2d', filters: 16, kernel: 3, stride: 2, padding: 'same' }] },
        { kind: 'maxPool', size: 2, stride: 1 },
        { kind: 'flatten' },
        { kind: 'residual', layers: [{ kind: 'dense', units: 24 }] },
        { kind: 'dense', units: 16, bias: false },
        { kind: 'relu' },
        { kind: 'output' }
      ]
    })
    if (!parsed.ok) throw new Error(parsed.issues[0].message)
    const inferred = inferArchitecture(parsed.architecture, { shape, classCount: CLASSES })
    if (!inferred.ok) throw new Error(inferred.error.message)

    const input = tf.input({ shape: [shape.height, shape.width, shape.channels] })
    const model = tf.model({ inputs: input, outputs: build(parsed.architecture.layers, input, CLASSES) })
    expect(inferred.totalParams).toBe(model.countParams())
    // Shapes at the top level match the symbolic tensors tf.js computed, in order.
    const top = inferred.rows.filter((r) => !r.path.includes('.')).map((r) => r.outputShape)
    const tfShapes = model.layers.filter((l) => !['InputLayer'].includes(l.getClassName())).map((l) => (l.outputShape as number[]).slice(1))
    for (const s of top) expect(tfShapes).toContainEqual(s)
    expect(model.outputs[0].shape).toEqual([null, CLASSES])
    model.dispose()
  })

  it('agree on globalAvgPool', () => {
    const parsed = parseArchitecture({
      name: 'g',
      layers: [{ kind: 'conv2d', filters: 7, kernel: 5 }, { kind: 'globalAvgPool' }, { kind: 'output' }]
    })
    if (!parsed.ok) throw new Error(parsed.issues[0].message)
    const inferred = inferArchitecture(parsed.architecture, { shape, classCount: CLASSES })
    const input = tf.input({ shape: [shape.height, shape.width, shape.channels] })
    const model = tf.model({ inputs: input, outputs: build(parsed.architecture.layers, input, CLASSES) })
    expect(inferred.ok && inferred.totalParams).toBe(model.countParams())
    model.dispose()
  })
})
