/**
 * tf.js activation functions (the `activation` option of a layer, or an `Activation` layer) as ONNX
 * opset-13 nodes. GELU and swish have no opset-13 operator: they are spelled out with Erf, Sigmoid,
 * Mul and Add exactly as tf.js computes them.
 */
import { float, GraphBuilder, int, type OnnxTensor } from './onnx-graph'

/** tf.js's SELU constants (tfjs-core selu_util), so both runtimes scale alike. */
const SELU_SCALEALPHA = 1.7580993408473768
const SELU_SCALE = 1.0507009873554805

/** Activation names (as tf.js serialises them) this exporter maps. */
export const SUPPORTED_ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'tanh',
  'sigmoid',
  'hardSigmoid',
  'softplus',
  'softsign',
  'softmax',
  'logSoftmax',
  'gelu',
  'gelu_new',
  'swish',
  'mish'
] as const

/** Appends the activation a layer applies to its output (element-wise; softmax over tf.js's last axis). */
export function activation(g: GraphBuilder, input: OnnxTensor, name: unknown, layerName: string): OnnxTensor {
  const x = input.name
  const unary = (op: string, attributes = [] as ReturnType<typeof float>[]): string => g.node(op, [x], attributes)
  // tf.js's last axis holds the channels, which NCHW keeps at position 1.
  const lastAxis = input.layout === 'nchw' ? 1 : -1
  let out: string
  switch (name ?? 'linear') {
    case 'linear':
      return input
    case 'relu':
      out = unary('Relu')
      break
    case 'relu6':
      out = g.node('Clip', [x, g.scalar(`${layerName}_min`, 0), g.scalar(`${layerName}_max`, 6)])
      break
    case 'elu':
      out = unary('Elu', [float('alpha', 1)])
      break
    case 'selu':
      out = unary('Selu', [float('alpha', SELU_SCALEALPHA / SELU_SCALE), float('gamma', SELU_SCALE)])
      break
    case 'tanh':
      out = unary('Tanh')
      break
    case 'sigmoid':
      out = unary('Sigmoid')
      break
    case 'hardSigmoid':
      // tf.js: clip(0.2 x + 0.5, 0, 1), ONNX's defaults.
      out = unary('HardSigmoid', [float('alpha', 0.2), float('beta', 0.5)])
      break
    case 'softplus':
      out = unary('Softplus')
      break
    case 'softsign':
      out = unary('Softsign')
      break
    case 'softmax':
      out = unary('Softmax', [int('axis', lastAxis)])
      break
    case 'logSoftmax':
      out = unary('LogSoftmax', [int('axis', lastAxis)])
      break
    case 'gelu': {
      // x · ½ (1 + erf(x / √2))
      const erf = g.node('Erf', [g.node('Div', [x, g.scalar(`${layerName}_sqrt2`, Math.SQRT2)])])
      const cdf = g.node('Mul', [g.scalar(`${layerName}_half`, 0.5), g.node('Add', [g.scalar(`${layerName}_one`, 1), erf])])
      out = g.node('Mul', [x, cdf])
      break
    }
    case 'gelu_new': {
      // ½ x (1 + tanh(√(2/π) (x + 0.044715 x³)))
      const cube = g.node('Pow', [x, g.scalar(`${layerName}_three`, 3)])
      const inner = g.node('Add', [x, g.node('Mul', [g.scalar(`${layerName}_c`, 0.044715), cube])])
      const tanh = g.node('Tanh', [g.node('Mul', [g.scalar(`${layerName}_k`, Math.sqrt(2 / Math.PI)), inner])])
      const half = g.node('Mul', [x, g.node('Add', [g.scalar(`${layerName}_one`, 1), tanh])])
      out = g.node('Mul', [g.scalar(`${layerName}_half`, 0.5), half])
      break
    }
    case 'swish':
      // x · sigmoid(x)
      out = g.node('Mul', [unary('Sigmoid'), x])
      break
    case 'mish':
      // x · tanh(softplus(x))
      out = g.node('Mul', [x, g.node('Tanh', [unary('Softplus')])])
      break
    default:
      throw new Error(
        `layer ${layerName}: activation "${String(name)}" has no ONNX mapping here (mapped: ${SUPPORTED_ACTIVATIONS.join(', ')})`
      )
  }
  return { name: out, layout: input.layout }
}
