/**
 * One layer's arithmetic without TensorFlow: its name as people read it, its output shape, its
 * parameters and its multiply-adds per image. Residual blocks are composed in ./infer-architecture.ts.
 */
import type { Layer } from './architecture-schema'

/** A tensor shape without the batch axis: `[height, width, channels]` or `[units]`. */
export type Shape = number[]

/** What one layer does to its input. */
export interface LayerCost {
  name: string
  outputShape: Shape
  params: number
  /** Multiply-adds per image (convolutions, dense layers and projections; others count 0). */
  macs: number
}

/** Why a layer cannot take its input: `rank` (wrong kind of tensor) or `size` (a side below 1). */
export class LayerShapeError extends Error {
  constructor(
    readonly reason: 'rank' | 'size',
    message: string,
    /** The layer's name, when it was known. */
    readonly layerName: string
  ) {
    super(message)
  }
}

type PlainLayer = Exclude<Layer, { kind: 'residual' | 'output' }>

const ACTIVATION_NAMES: Record<string, string> = {
  relu: 'ReLU',
  leakyRelu: 'LeakyReLU',
  elu: 'ELU',
  gelu: 'GELU',
  swish: 'Swish',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid'
}

/** `Conv2D 32 3×3 same relu`: what differs from the defaults is spelled out. */
function convName(title: string, l: { kernel: number; stride: number; padding: string; activation?: string; bias: boolean }, extra = '') {
  const parts = [`${title}${extra} ${l.kernel}×${l.kernel}`]
  if (l.stride !== 1) parts.push(`stride ${l.stride}`)
  parts.push(l.padding)
  if (l.activation) parts.push(l.activation)
  if (!l.bias) parts.push('no bias')
  return parts.join(' ')
}

/** Output side of a convolution or pooling window; below 1 means nothing is left. */
export function outputSide(input: number, kernel: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - kernel) / stride) + 1
}

function needImage(shape: Shape, name: string, kind: string): [number, number, number] {
  if (shape.length !== 3) {
    throw new LayerShapeError(
      'rank',
      `${kind} needs an image (H×W×C) input but gets ${shape.join('×')} values; move it before flatten, dense or globalAvgPool`,
      name
    )
  }
  return shape as [number, number, number]
}

/** Cost of every layer kind but `residual` and `output` (which ./infer-architecture.ts resolves to dense). */
export function layerCost(layer: PlainLayer, input: Shape): LayerCost {
  const same = (name: string, params = 0): LayerCost => ({ name, outputShape: [...input], params, macs: 0 })
  switch (layer.kind) {
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'separableConv2d': {
      const multiplier = layer.kind === 'conv2d' ? 1 : layer.depthMultiplier
      const name =
        layer.kind === 'conv2d'
          ? convName(`Conv2D ${layer.filters}`, layer)
          : layer.kind === 'depthwiseConv2d'
            ? convName('DepthwiseConv2D', layer, multiplier === 1 ? '' : ` ×${multiplier}`)
            : convName(`SeparableConv2D ${layer.filters}`, layer, multiplier === 1 ? '' : ` ×${multiplier}`)
      const [h, w, c] = needImage(input, name, layer.kind)
      const oh = outputSide(h, layer.kernel, layer.stride, layer.padding)
      const ow = outputSide(w, layer.kernel, layer.stride, layer.padding)
      const k2 = layer.kernel * layer.kernel
      const pixels = Math.max(oh, 0) * Math.max(ow, 0)
      if (layer.kind === 'conv2d') {
        return sized(
          name,
          [oh, ow, layer.filters],
          k2 * c * layer.filters + (layer.bias ? layer.filters : 0),
          pixels * k2 * c * layer.filters
        )
      }
      const depthOut = c * multiplier
      if (layer.kind === 'depthwiseConv2d') {
        return sized(name, [oh, ow, depthOut], k2 * depthOut + (layer.bias ? depthOut : 0), pixels * k2 * depthOut)
      }
      // Keras' SeparableConv2D: the depthwise kernel has no bias; the pointwise one does.
      const params = k2 * depthOut + depthOut * layer.filters + (layer.bias ? layer.filters : 0)
      return sized(name, [oh, ow, layer.filters], params, pixels * (k2 * depthOut + depthOut * layer.filters))
    }
    case 'maxPool':
    case 'avgPool': {
      const stride = layer.stride ?? layer.size
      const name = `${layer.kind === 'maxPool' ? 'MaxPool' : 'AvgPool'} ${layer.size}×${layer.size}${stride !== layer.size ? ` stride ${stride}` : ''}`
      const [h, w, c] = needImage(input, name, layer.kind)
      return sized(name, [outputSide(h, layer.size, stride, 'valid'), outputSide(w, layer.size, stride, 'valid'), c], 0, 0)
    }
    case 'globalAvgPool': {
      const [, , c] = needImage(input, 'GlobalAvgPool', layer.kind)
      return { name: 'GlobalAvgPool', outputShape: [c], params: 0, macs: 0 }
    }
    case 'flatten':
      return { name: 'Flatten', outputShape: [input.reduce((a, b) => a * b, 1)], params: 0, macs: 0 }
    case 'dense':
      return denseCost(layer.units, layer.activation, layer.bias, input)
    case 'batchNorm': {
      const extra = [layer.momentum !== 0.99 ? `momentum ${layer.momentum}` : '', layer.epsilon !== 0.001 ? `epsilon ${layer.epsilon}` : '']
      // gamma, beta, moving mean, moving variance per channel (Keras counts all four).
      return same(['BatchNorm', ...extra.filter(Boolean)].join(' '), 4 * input[input.length - 1])
    }
    case 'dropout':
      return same(`Dropout ${layer.rate}`)
    case 'leakyRelu':
      return same(`LeakyReLU ${layer.alpha}`)
    default:
      return same(ACTIVATION_NAMES[layer.kind])
  }
}

/** A dense layer of `units` on a flat input (also what `output` becomes). */
export function denseCost(units: number, activation: string | undefined, bias: boolean, input: Shape): LayerCost {
  const name = `Dense ${units}${activation ? ' ' + activation : ''}${bias ? '' : ' no bias'}`
  if (input.length !== 1) {
    throw new LayerShapeError('rank', `dense needs a flat input but gets ${input.join('×')}; add flatten or globalAvgPool before it`, name)
  }
  return { name, outputShape: [units], params: input[0] * units + (bias ? units : 0), macs: input[0] * units }
}

function sized(name: string, outputShape: Shape, params: number, macs: number): LayerCost {
  if (outputShape.some((d) => d < 1)) {
    throw new LayerShapeError('size', `its ${name} layer would have no pixels left`, name)
  }
  return { name, outputShape, params, macs }
}
