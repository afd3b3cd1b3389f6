/**
 * Every layer kind an architecture can use, one small model each (odd image sizes, strides, seeded random
 * weights, biases and batch-norm statistics), and a residual network: onnxruntime-node runs the ONNX export
 * and gives tf.js's `predict` to within 1e-4 on a batch of random images.
 */
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { beforeAll, describe, expect, it } from 'vitest'
import { modelToOnnx, ONNX_INPUT, ONNX_OUTPUT } from '@main/core/models/onnx-export'
import { SUPPORTED_ACTIVATIONS } from '@main/core/models/onnx-activations'

const TOLERANCE = 1e-4
const BATCH = 6
const UNITS = 4

type Shape = [number, number, number]
type Body = (x: tf.SymbolicTensor) => tf.SymbolicTensor
/** tf.js registers more activations (logSoftmax, gelu_new) than its option type names. */
type ActivationName = NonNullable<Parameters<typeof tf.layers.conv2d>[0]['activation']>
const L = tf.layers
const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor
const chain =
  (...layers: tf.layers.Layer[]): Body =>
  (x) =>
    layers.reduce((t, layer) => apply(layer, t), x)

/** Replaces every weight with seeded random values (variances positive), so biases and statistics are tested too. */
function randomise(model: tf.LayersModel, seed: number): void {
  model.weights.forEach((w, i) => {
    const value = tf.tidy(() =>
      w.originalName.includes('moving_variance')
        ? tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', seed + i)
        : tf.randomNormal(w.shape as number[], 0, 0.5, 'float32', seed + i)
    )
    w.write(value)
  })
}

/** The body on an input of `shape`, flattened if spatial, then a linear dense head (logits compare more sharply than probabilities). */
function modelOf(shape: Shape, body: Body, head = true): tf.LayersModel {
  const input = tf.input({ shape })
  let x = body(input)
  if (head) {
    if (x.shape.length > 2) x = apply(L.flatten(), x)
    x = apply(L.dense({ units: UNITS }), x)
  }
  return tf.model({ inputs: input, outputs: x })
}

/** Largest difference between onnxruntime's and tf.js's outputs on a seeded batch of images in [0, 1). */
async function maxDifference(model: tf.LayersModel, shape: Shape, seed: number): Promise<number> {
  randomise(model, seed)
  const units = model.outputs[0].shape[1] as number
  const bytes = modelToOnnx({ model, classNames: Array.from({ length: units }, (_, i) => `c${i}`) })
  const x = tf.randomUniform([BATCH, ...shape], 0, 1, 'float32', seed)
  const want = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array)
  const input = x.dataSync() as Float32Array
  x.dispose()
  const session = await ort.InferenceSession.create(bytes)
  const result = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', Float32Array.from(input), [BATCH, ...shape]) })
  await session.release()
  const got = result[ONNX_OUTPUT].data as Float32Array
  expect(result[ONNX_OUTPUT].dims).toEqual([BATCH, units])
  let max = 0
  for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(got[i] - want[i]))
  return max
}

const RGB: Shape = [9, 9, 3]
const GREY: Shape = [7, 7, 1]

/** One model per kind and option: [what, input shape, body]. */
const CASES: [string, Shape, Body][] = [
  ['conv2d valid, stride 1, relu', RGB, chain(L.conv2d({ filters: 5, kernelSize: 3, activation: 'relu' }))],
  [
    'conv2d same, stride 2, kernel 4 (pads 1 before, 2 after)',
    RGB,
    chain(L.conv2d({ filters: 5, kernelSize: 4, strides: 2, padding: 'same' }))
  ],
  [
    'conv2d same, stride 2, kernel 2, no bias',
    GREY,
    chain(L.conv2d({ filters: 3, kernelSize: 2, strides: 2, padding: 'same', useBias: false }))
  ],
  [
    'conv2d same, stride 3, kernel 3×2, tanh',
    GREY,
    chain(L.conv2d({ filters: 4, kernelSize: [3, 2], strides: 3, padding: 'same', activation: 'tanh' }))
  ],
  ['conv2d valid, strides 2×1', RGB, chain(L.conv2d({ filters: 4, kernelSize: 3, strides: [2, 1] }))],
  ['conv2d same, dilation 2', RGB, chain(L.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same' }))],
  ['depthwiseConv2d valid, multiplier 1', RGB, chain(L.depthwiseConv2d({ kernelSize: 3 }))],
  [
    'depthwiseConv2d same, stride 2, multiplier 2, no bias, elu',
    RGB,
    chain(L.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, useBias: false, activation: 'elu' }))
  ],
  [
    'depthwiseConv2d same, stride 2, multiplier 3, grey',
    GREY,
    chain(L.depthwiseConv2d({ kernelSize: 2, strides: 2, padding: 'same', depthMultiplier: 3 }))
  ],
  [
    'separableConv2d same, stride 2, multiplier 2, relu',
    RGB,
    chain(L.separableConv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu' }))
  ],
  ['separableConv2d valid, no bias', GREY, chain(L.separableConv2d({ filters: 3, kernelSize: 3, useBias: false }))],
  ['maxPooling2d valid, 3 stride 2', RGB, chain(L.maxPooling2d({ poolSize: 3, strides: 2 }))],
  ['maxPooling2d same, 2 stride 2 (pad after only)', RGB, chain(L.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same' }))],
  ['maxPooling2d same, 3 stride 1', GREY, chain(L.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }))],
  ['averagePooling2d valid, 3 stride 1', RGB, chain(L.averagePooling2d({ poolSize: 3, strides: 1 }))],
  ['averagePooling2d same, 2 stride 2 (padding not counted)', RGB, chain(L.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same' }))],
  ['averagePooling2d same, 3 stride 2', GREY, chain(L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }))],
  ['globalAveragePooling2d then dense', RGB, chain(L.conv2d({ filters: 6, kernelSize: 3 }), L.globalAveragePooling2d({}))],
  ['globalMaxPooling2d', GREY, chain(L.conv2d({ filters: 6, kernelSize: 3 }), L.globalMaxPooling2d({}))],
  [
    'batchNormalization on images (epsilon 0.01)',
    RGB,
    chain(L.conv2d({ filters: 4, kernelSize: 3 }), L.batchNormalization({ epsilon: 0.01 }))
  ],
  ['batchNormalization on the input, no scale or centre', GREY, chain(L.batchNormalization({ scale: false, center: false }))],
  ['batchNormalization on features', RGB, chain(L.flatten(), L.dense({ units: 8 }), L.batchNormalization({}))],
  ['dropout', RGB, chain(L.conv2d({ filters: 4, kernelSize: 3 }), L.dropout({ rate: 0.5 }))],
  ['flatten of the input', GREY, chain(L.flatten())],
  ['dense with bias, relu', RGB, chain(L.flatten(), L.dense({ units: 7, activation: 'relu' }))],
  ['dense without bias, sigmoid', RGB, chain(L.flatten(), L.dense({ units: 7, useBias: false, activation: 'sigmoid' }))],
  ['relu layer', RGB, chain(L.conv2d({ filters: 4, kernelSize: 3 }), L.reLU())],
  ['relu layer with a maximum', RGB, chain(L.conv2d({ filters: 4, kernelSize: 3 }), L.reLU({ maxValue: 0.5 }))],
  ['leakyReLU layer, alpha 0.1', RGB, chain(L.conv2d({ filters: 4, kernelSize: 3 }), L.leakyReLU({ alpha: 0.1 }))],
  ['elu layer', RGB, chain(L.conv2d({ filters: 4, kernelSize: 3 }), L.elu())],
  ['softmax layer over channels', RGB, chain(L.conv2d({ filters: 4, kernelSize: 3 }), L.softmax({ axis: -1 }))],
  ['softmax layer over features (tf.js default axis 1)', RGB, chain(L.flatten(), L.dense({ units: 6 }), L.softmax())],
  ['softmax activation on the input', GREY, chain(L.activation({ activation: 'softmax' }))],
  ...SUPPORTED_ACTIVATIONS.map((a) => a as ActivationName).flatMap((a): [string, Shape, Body][] => [
    [`conv2d activation ${a}`, RGB, chain(L.conv2d({ filters: 4, kernelSize: 3, activation: a }))],
    [`activation layer ${a} on features`, GREY, chain(L.flatten(), L.dense({ units: 6 }), L.activation({ activation: a }))]
  ]),
  [
    'add of the input and a same convolution',
    RGB,
    (x) => apply(L.add(), [x, apply(L.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }), x)])
  ],
  [
    'add of three branches',
    GREY,
    (x) =>
      apply(
        L.add(),
        [1, 2, 3].map((k) => apply(L.conv2d({ filters: 2, kernelSize: k, padding: 'same' }), x))
      )
  ]
]

/** A residual block whose shortcut is a strided 1×1 projection, then global pooling and a softmax classifier. */
function residualModel(): tf.LayersModel {
  const input = tf.input({ shape: RGB })
  const stem = apply(L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }), input)
  const branch = chain(
    L.conv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'same', useBias: false }),
    L.batchNormalization({}),
    L.reLU(),
    L.conv2d({ filters: 12, kernelSize: 3, padding: 'same' })
  )(stem)
  const shortcut = apply(L.conv2d({ filters: 12, kernelSize: 1, strides: 2, padding: 'same' }), stem)
  const block = apply(L.reLU(), apply(L.add(), [branch, shortcut]))
  // A second, identity-shortcut block reads `block` twice.
  const inner = chain(L.depthwiseConv2d({ kernelSize: 3, padding: 'same' }), L.conv2d({ filters: 12, kernelSize: 1 }))(block)
  const joined = apply(L.add(), [block, inner])
  const pooled = apply(L.globalAveragePooling2d({}), joined)
  const out = apply(L.dense({ units: 5, activation: 'softmax' }), pooled)
  return tf.model({ inputs: input, outputs: out })
}

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('ONNX export of each layer kind matches tf.js', () => {
  CASES.forEach(([what, shape, body], i) => {
    it(what, async () => {
      const model = modelOf(shape, body)
      expect(await maxDifference(model, shape, 100 + i)).toBeLessThan(TOLERANCE)
      model.dispose()
    })
  })

  it('a residual network: strided 1×1 projection, identity block, global pooling, dense softmax', async () => {
    const model = residualModel()
    expect(await maxDifference(model, RGB, 7)).toBeLessThan(TOLERANCE)
    model.dispose()
  })

  it('a Sequential model of the newer kinds', async () => {
    const model = tf.sequential({
      layers: [
        L.separableConv2d({ inputShape: GREY, filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'swish' }),
        L.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        L.leakyReLU({ alpha: 0.2 }),
        L.globalAveragePooling2d({}),
        L.dense({ units: 3, activation: 'softmax' })
      ]
    })
    expect(await maxDifference(model, GREY, 11)).toBeLessThan(TOLERANCE)
    model.dispose()
  })
})
