/**
 * One tf.js layer → ONNX nodes. Spatial layers run in NCHW (ONNX's layout); element-wise layers keep
 * whatever layout their input has; softmax maps tf.js's last (channel) axis onto the layout its input is in.
 */
import type * as tf from '@tensorflow/tfjs'
import { activation } from './onnx-activations'
import { convKernel, data, depthwiseKernel, float, GraphBuilder, int, ints, pair, windowPads, type OnnxTensor } from './onnx-graph'

/** A layer applied once in the graph, with the ONNX tensors it reads and the tf.js shapes of its inputs. */
export interface LayerCall {
  layer: tf.layers.Layer
  inputs: OnnxTensor[]
  /** tf.js shapes of the inputs, `[null, height, width, channels]` for images. */
  inputShapes: (number | null)[][]
}

/** Layers this exporter maps, by tf.js class name (shown in the error for any other). */
export const SUPPORTED_LAYERS = [
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'BatchNormalization',
  'Dropout',
  'Flatten',
  'Dense',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Softmax',
  'Add'
] as const

type Config = Record<string, unknown>

const spatial = (name: string): OnnxTensor => ({ name, layout: 'nchw' })

/** Kernel, strides, dilations and pads of a convolution or pooling window, checked against what ONNX can state. */
function window(call: LayerCall, config: Config, kernelKey: 'kernelSize' | 'poolSize'): ReturnType<typeof ints>[] {
  const name = call.layer.name
  if (config.dataFormat && config.dataFormat !== 'channelsLast') throw new Error(`layer ${name}: only channelsLast is supported`)
  const kernel = pair(config[kernelKey], kernelKey === 'kernelSize' ? 'kernel size' : 'pool size')
  const strides = pair(config.strides ?? config[kernelKey], 'strides')
  const dilations = pair(config.dilationRate ?? 1, 'dilation')
  // A dilated kernel covers (k − 1) × d + 1 pixels: that is what "same" pads for.
  const span = kernel.map((k, i) => (k - 1) * dilations[i] + 1)
  const size = call.inputShapes[0].slice(1, 3) as number[]
  const pads = windowPads({ padding: config.padding, kernel: span, strides, size, layerName: name })
  const attributes = [ints('kernel_shape', kernel), ints('strides', strides), ints('pads', pads)]
  if (kernelKey === 'kernelSize') attributes.push(ints('dilations', dilations))
  return attributes
}

function convolution(g: GraphBuilder, call: LayerCall, config: Config, kind: string): OnnxTensor {
  const { layer } = call
  const x = g.toNchw(call.inputs[0], layer.name)
  const attributes = window(call, config, 'kernelSize')
  const weights = layer.getWeights()
  const bias = (): string => {
    const b = weights[weights.length - 1]
    return g.weight(`${layer.name}_B`, data(b), b.shape)
  }
  let out: string
  if (kind === 'Conv2D') {
    const kernel = convKernel(weights[0])
    const inputs = [x, g.weight(`${layer.name}_W`, kernel.values, kernel.dims)]
    if (config.useBias !== false) inputs.push(bias())
    out = g.node('Conv', inputs, attributes)
  } else {
    // Depthwise: one group per input channel. Separable adds a 1×1 pointwise convolution after it.
    const depthwise = depthwiseKernel(weights[0])
    const groups = [int('group', call.inputShapes[0][3] as number)]
    const inputs = [x, g.weight(`${layer.name}_depthwise_W`, depthwise.values, depthwise.dims)]
    if (kind === 'DepthwiseConv2D') {
      if (config.useBias !== false) inputs.push(bias())
      out = g.node('Conv', inputs, [...attributes, ...groups])
    } else {
      const mid = g.node('Conv', inputs, [...attributes, ...groups])
      const pointwise = convKernel(weights[1])
      const pwInputs = [mid, g.weight(`${layer.name}_pointwise_W`, pointwise.values, pointwise.dims)]
      if (config.useBias !== false) pwInputs.push(bias())
      out = g.node('Conv', pwInputs, [ints('kernel_shape', [1, 1])])
    }
  }
  return activation(g, spatial(out), config.activation, layer.name)
}

function pooling(g: GraphBuilder, call: LayerCall, config: Config, op: 'MaxPool' | 'AveragePool'): OnnxTensor {
  const x = g.toNchw(call.inputs[0], call.layer.name)
  const attributes = window(call, config, 'poolSize')
  // tf.js averages "same" windows over the pixels inside the image only.
  if (op === 'AveragePool') attributes.push(int('count_include_pad', 0))
  return spatial(g.node(op, [x], attributes))
}

function batchNormalization(g: GraphBuilder, call: LayerCall, config: Config): OnnxTensor {
  const { layer } = call
  const rank = call.inputShapes[0].length
  const axis = config.axis as number
  if (axis !== -1 && axis !== rank - 1) throw new Error(`layer ${layer.name}: batch normalisation over axis ${axis} is not supported`)
  const input = call.inputs[0]
  const x = input.layout === 'nhwc' ? g.toNchw(input, layer.name) : input.name
  // Weights come in order gamma, beta, moving mean, moving variance; gamma/beta are absent when scale/center are off.
  const w = [...layer.getWeights()]
  const channels = w[w.length - 1].shape[0]
  const gamma = config.scale === false ? new Float32Array(channels).fill(1) : data(w.shift() as tf.Tensor)
  const beta = config.center === false ? new Float32Array(channels) : data(w.shift() as tf.Tensor)
  const [mean, variance] = w
  const out = g.node(
    'BatchNormalization',
    [
      x,
      g.weight(`${layer.name}_scale`, gamma, [channels]),
      g.weight(`${layer.name}_bias`, beta, [channels]),
      g.weight(`${layer.name}_mean`, data(mean), [channels]),
      g.weight(`${layer.name}_var`, data(variance), [channels])
    ],
    [float('epsilon', config.epsilon as number)]
  )
  return { name: out, layout: input.layout === 'flat' ? 'flat' : 'nchw' }
}

function dense(g: GraphBuilder, call: LayerCall, config: Config): OnnxTensor {
  const { layer } = call
  if (call.inputs[0].layout !== 'flat')
    throw new Error(`layer ${layer.name}: Dense on a spatial tensor is not supported; add Flatten or global pooling first`)
  const weights = layer.getWeights()
  const inputs = [call.inputs[0].name, g.weight(`${layer.name}_W`, data(weights[0]), weights[0].shape)]
  if (config.useBias !== false) inputs.push(g.weight(`${layer.name}_B`, data(weights[1]), weights[1].shape))
  const out = g.node('Gemm', inputs, [float('alpha', 1), float('beta', 1)])
  return activation(g, { name: out, layout: 'flat' }, config.activation, layer.name)
}

/** Element-wise sum of the branches; NHWC branches are brought to NCHW when the other side is there already. */
function add(g: GraphBuilder, call: LayerCall): OnnxTensor {
  const { inputs, layer } = call
  const layouts = new Set(inputs.map((t) => t.layout))
  const layout = layouts.size === 1 ? inputs[0].layout : 'nchw'
  const names = inputs.map((t) => (t.layout === layout ? t.name : g.toNchw(t, layer.name)))
  let sum = names[0]
  for (const next of names.slice(1)) sum = g.node('Add', [sum, next])
  return { name: sum, layout }
}

/** Appends the nodes of one layer call and returns its output tensor; throws naming the layer when it cannot. */
export function convertLayer(g: GraphBuilder, call: LayerCall): OnnxTensor {
  const { layer } = call
  const config = layer.getConfig() as Config
  const kind = layer.getClassName()
  const input = call.inputs[0]
  switch (kind) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
      return convolution(g, call, config, kind)
    case 'MaxPooling2D':
      return pooling(g, call, config, 'MaxPool')
    case 'AveragePooling2D':
      return pooling(g, call, config, 'AveragePool')
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      if (config.dataFormat && config.dataFormat !== 'channelsLast') throw new Error(`layer ${layer.name}: only channelsLast is supported`)
      const op = kind === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool'
      // ONNX keeps [N, C, 1, 1]; tf.js gives [N, C], the same order flat.
      const pooled = g.node(op, [g.toNchw(input, layer.name)])
      return { name: g.node('Flatten', [pooled], [int('axis', 1)]), layout: 'flat' }
    }
    case 'Flatten': {
      // tf.js flattens NHWC: the channel varies fastest. Go back to that order before flattening.
      const x = input.layout === 'nchw' ? g.node('Transpose', [input.name], [ints('perm', [0, 2, 3, 1])]) : input.name
      return { name: g.node('Flatten', [x], [int('axis', 1)]), layout: 'flat' }
    }
    case 'Dense':
      return dense(g, call, config)
    case 'Dropout':
      // Identity at inference.
      return input
    case 'BatchNormalization':
      return batchNormalization(g, call, config)
    case 'Activation':
      return activation(g, input, config.activation, layer.name)
    case 'ReLU': {
      if (config.maxValue == null) return { name: g.node('Relu', [input.name]), layout: input.layout }
      const bounds = [g.scalar(`${layer.name}_min`, 0), g.scalar(`${layer.name}_max`, config.maxValue as number)]
      return { name: g.node('Clip', [input.name, ...bounds]), layout: input.layout }
    }
    case 'LeakyReLU':
      return { name: g.node('LeakyRelu', [input.name], [float('alpha', config.alpha as number)]), layout: input.layout }
    case 'ELU':
      // tf.js's ELU layer refuses any alpha but 1.
      return { name: g.node('Elu', [input.name], [float('alpha', 1)]), layout: input.layout }
    case 'Softmax': {
      // tf.js runs softmax over the last axis only (the channels of an image, at position 1 in NCHW).
      const axes = Array.isArray(config.axis) ? (config.axis as number[]) : [config.axis as number]
      const rank = call.inputShapes[0].length
      if (axes.length !== 1 || (axes[0] !== -1 && axes[0] !== rank - 1))
        throw new Error(`layer ${layer.name}: softmax over axis ${JSON.stringify(config.axis)} cannot be exported; only the last axis`)
      const axis = input.layout === 'nchw' ? 1 : -1
      return { name: g.node('Softmax', [input.name], [int('axis', axis)]), layout: input.layout }
    }
    case 'Add':
      return add(g, call)
    default:
      throw new Error(
        `layer "${layer.name}" (${kind}) has no ONNX mapping in Atelier's exporter, so no ONNX file was written. ` +
          `Export the TF.js format instead, which keeps every layer, or use layers the ONNX export maps: ${SUPPORTED_LAYERS.join(', ')}.`
      )
  }
}
