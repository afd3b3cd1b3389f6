/**
 * One layer of an architecture file as tf.js layers, named and seeded deterministically. Residual
 * blocks, which join layers instead of being one, are composed in ./architectures.ts.
 */
import * as tf from '@tensorflow/tfjs'
import type { Activation, Layer } from '@shared/architecture/architecture-schema'

/** Every kind of layer but `residual`. */
export type PlainLayer = Exclude<Layer, { kind: 'residual' }>

/** Where a layer sits and what seeds it. */
export interface LayerPlace {
  /** Index path as in the layer table: `"3"`, or `"5.2"` inside the residual block at index 5. */
  path: string
  /**
   * The layer's row in the inference's table (residual blocks and their layers counted in order): its
   * initializers and dropout are seeded with `seed + ordinal`, which for the presets (no blocks) is
   * `seed + index`, as they always were.
   */
  ordinal: number
  seed: number
  classCount: number
  /** The model's input shape, given to the first layer of a Sequential model only. */
  inputShape?: number[]
}

/** `conv2d_5_2` for the layer at path 5.2; `output` is named as the dense layer it is (`dense_9`), as presets always were. */
export const layerName = (kind: Layer['kind'], path: string): string => `${kind === 'output' ? 'dense' : kind}_${path.replace(/\./g, '_')}`

/** Activations tf.js takes as a convolution's or dense layer's `activation` string (4.22 has gelu and swish; not leakyRelu). */
type BuiltinActivation = Exclude<Activation, 'leakyRelu'> | 'softmax' | 'linear'

/** The layer's own activation, and a LeakyReLU layer after it when tf.js has no string for it. */
function activationOf(
  activation: Activation | 'softmax' | undefined,
  name: string
): { activation: BuiltinActivation; after: tf.layers.Layer[] } {
  if (activation === 'leakyRelu') return { activation: 'linear', after: [tf.layers.leakyReLU({ name: `${name}_act` })] }
  return { activation: activation ?? 'linear', after: [] }
}

/**
 * The seed of a layer's initializer: `seed + ordinal`, and for a second kernel of the same layer
 * (a separable convolution's pointwise one) half a step on. tf.js seeds its generator from the
 * number's text, so a fractional seed never repeats another layer's stream, nor its own first kernel's.
 */
export const initializerSeed = (place: LayerPlace, second = false): number => place.seed + place.ordinal + (second ? 0.5 : 0)

const glorot = (seed: number) => tf.initializers.glorotUniform({ seed })

/** The tf.js layers of one plain layer, in order (more than one when an activation needs its own layer). */
export function toLayers(layer: PlainLayer, place: LayerPlace): tf.layers.Layer[] {
  const name = layerName(layer.kind, place.path)
  const input = place.inputShape ? { inputShape: place.inputShape } : {}
  const kernelInitializer = glorot(initializerSeed(place))
  /** What the three convolution kinds share: name, window, stride, padding, bias and activation. */
  const convolution = (conv: Extract<PlainLayer, { kind: 'conv2d' | 'depthwiseConv2d' | 'separableConv2d' }>) => {
    const { activation, after } = activationOf(conv.activation, name)
    const args = { ...input, name, kernelSize: conv.kernel, strides: conv.stride, padding: conv.padding, activation, useBias: conv.bias }
    return { args, after }
  }
  switch (layer.kind) {
    case 'conv2d': {
      const { args, after } = convolution(layer)
      return [tf.layers.conv2d({ ...args, filters: layer.filters, kernelInitializer }), ...after]
    }
    case 'depthwiseConv2d': {
      const { args, after } = convolution(layer)
      return [
        tf.layers.depthwiseConv2d({ ...args, depthMultiplier: layer.depthMultiplier, depthwiseInitializer: kernelInitializer }),
        ...after
      ]
    }
    case 'separableConv2d': {
      const { args, after } = convolution(layer)
      const conv = tf.layers.separableConv2d({
        ...args,
        filters: layer.filters,
        depthMultiplier: layer.depthMultiplier,
        depthwiseInitializer: kernelInitializer
      })
      // tfjs-layers 4.22 builds the pointwise initializer from `depthwiseInitializer` (SeparableConv's
      // constructor), so both kernels would be one stream scaled twice; set it before the layer builds.
      ;(conv as unknown as { pointwiseInitializer: ReturnType<typeof glorot> }).pointwiseInitializer = glorot(initializerSeed(place, true))
      return [conv, ...after]
    }
    case 'dense':
    case 'output': {
      const dense = layer.kind === 'output' ? { units: place.classCount, activation: 'softmax' as const, bias: true } : layer
      const { activation, after } = activationOf(dense.activation, name)
      return [tf.layers.dense({ ...input, name, units: dense.units, activation, useBias: dense.bias, kernelInitializer }), ...after]
    }
    case 'maxPool':
      return [tf.layers.maxPooling2d({ ...input, name, poolSize: layer.size, strides: layer.stride ?? layer.size })]
    case 'avgPool':
      return [tf.layers.avgPooling2d({ ...input, name, poolSize: layer.size, strides: layer.stride ?? layer.size })]
    case 'globalAvgPool':
      return [tf.layers.globalAveragePooling2d({ ...input, name })]
    case 'flatten':
      return [tf.layers.flatten({ ...input, name })]
    case 'batchNorm':
      return [tf.layers.batchNormalization({ ...input, name, momentum: layer.momentum, epsilon: layer.epsilon })]
    case 'dropout':
      // The layer's own seed; dropout-seeds.ts derives each step's masks from it.
      return [tf.layers.dropout({ ...input, name, rate: layer.rate, seed: place.seed + place.ordinal })]
    case 'relu':
      return [tf.layers.reLU({ ...input, name })]
    case 'leakyRelu':
      return [tf.layers.leakyReLU({ ...input, name, alpha: layer.alpha })]
    case 'elu':
    case 'gelu':
    case 'swish':
    case 'tanh':
    case 'sigmoid':
      return [tf.layers.activation({ ...input, name, activation: layer.kind })]
  }
}
