/**
 * An architecture file, `{ "name": "…", "layers": [ … ] }`: one zod schema that the UI, the CLI and the
 * trainer validate with, and from which schema/architecture.schema.json is generated
 * (`npm run gen:arch-schema`). Plain data, no TensorFlow. Parse files with {@link parseArchitecture}
 * (./parse-architecture.ts), which bounds nesting and size before zod walks the structure.
 */
import { z } from 'zod'

/** Residual blocks nest at most this deep (a block inside a block … counts each level). */
export const MAX_DEPTH = 8
/** Layers in a whole architecture, those inside residual blocks included. */
export const MAX_LAYERS = 200

/** Activations usable as layers (`{ "kind": "relu" }`) and as the `activation` of a convolution or dense layer. */
export const ACTIVATIONS = ['relu', 'leakyRelu', 'elu', 'gelu', 'swish', 'tanh', 'sigmoid'] as const
export type Activation = (typeof ACTIVATIONS)[number]

const activation = z.enum(ACTIVATIONS).optional().describe('Applied to the output (none when absent).')
const denseActivation = z
  .enum([...ACTIVATIONS, 'softmax'])
  .optional()
  .describe('Applied to the output (none when absent); softmax only on the last layer.')
const filters = z.number().int().min(1).max(4096).describe('Output channels.')
const kernel = z.number().int().min(1).max(15).describe('Side of the square kernel.')
const stride = z.number().int().min(1).max(8).default(1).describe('Step of the kernel, in pixels.')
const padding = z.enum(['valid', 'same']).default('valid').describe("'valid' shrinks by kernel − 1; 'same' keeps the size (at stride 1).")
const depthMultiplier = z.number().int().min(1).max(64).default(1).describe('Depthwise outputs per input channel.')
const bias = z.boolean().default(true).describe('Whether the layer adds a learned bias.')
const poolSize = z.number().int().min(1).max(15).describe('Side of the square pooling window.')
const poolStride = z.number().int().min(1).max(15).optional().describe('Step of the window (default: the size).')

const kindOnly = <K extends string>(kind: K, description: string) => z.strictObject({ kind: z.literal(kind) }).describe(description)

export const conv2dSchema = z
  .strictObject({ kind: z.literal('conv2d'), filters, kernel, stride, padding, activation, bias })
  .describe('2-D convolution.')
export const depthwiseConv2dSchema = z
  .strictObject({ kind: z.literal('depthwiseConv2d'), kernel, stride, padding, depthMultiplier, activation, bias })
  .describe('Depthwise 2-D convolution: one kernel per input channel (× depthMultiplier).')
export const separableConv2dSchema = z
  .strictObject({ kind: z.literal('separableConv2d'), filters, kernel, stride, padding, depthMultiplier, activation, bias })
  .describe('Depthwise convolution followed by a 1×1 pointwise convolution to `filters` channels.')
export const maxPoolSchema = z.strictObject({ kind: z.literal('maxPool'), size: poolSize, stride: poolStride }).describe('Max pooling.')
export const avgPoolSchema = z.strictObject({ kind: z.literal('avgPool'), size: poolSize, stride: poolStride }).describe('Average pooling.')
export const batchNormSchema = z
  .strictObject({
    kind: z.literal('batchNorm'),
    momentum: z.number().gt(0).lt(1).default(0.99).describe('Of the moving mean and variance.'),
    epsilon: z.number().gt(0).max(1).default(0.001).describe('Added to the variance.')
  })
  .describe('Batch normalisation over the last axis.')
export const dropoutSchema = z
  .strictObject({ kind: z.literal('dropout'), rate: z.number().min(0).lt(1).describe('Fraction of inputs zeroed in training.') })
  .describe('Dropout.')
export const denseSchema = z
  .strictObject({
    kind: z.literal('dense'),
    units: z.number().int().min(1).max(4096).describe('Outputs.'),
    activation: denseActivation,
    bias
  })
  .describe('Fully connected layer; needs a flat input (flatten or globalAvgPool before it).')
export const leakyReluSchema = z
  .strictObject({ kind: z.literal('leakyRelu'), alpha: z.number().min(0).max(1).default(0.3).describe('Slope below zero.') })
  .describe('Leaky ReLU.')

/** Every kind of layer but `residual`, which nests these (see {@link layerSchema}). */
const plainLayers = [
  conv2dSchema,
  depthwiseConv2dSchema,
  separableConv2dSchema,
  maxPoolSchema,
  avgPoolSchema,
  kindOnly('globalAvgPool', 'Average of each channel over the whole image: H×W×C → C.'),
  batchNormSchema,
  dropoutSchema,
  kindOnly('flatten', 'H×W×C → H·W·C.'),
  denseSchema,
  kindOnly('relu', 'ReLU.'),
  leakyReluSchema,
  kindOnly('elu', 'ELU.'),
  kindOnly('gelu', 'GELU.'),
  kindOnly('swish', 'Swish (x · sigmoid(x)).'),
  kindOnly('tanh', 'Tanh.'),
  kindOnly('sigmoid', 'Sigmoid.'),
  kindOnly('output', 'The last layer: a softmax dense layer of one unit per class of the dataset trained on.')
] as const

const layersArray = <T extends z.ZodType>(layer: T) => z.array(layer).min(1).max(MAX_LAYERS)

/** Layers added to their input: when the shapes differ a 1×1 projection convolution (strided if the size shrinks) brings the input to the block's output. */
export const residualSchema = z
  .strictObject({
    kind: z.literal('residual'),
    get layers() {
      return layersArray(layerSchema).describe('The block, applied in order; its output is added to its input.')
    }
  })
  .describe('Residual block.')

/** One layer of an architecture, discriminated on `kind`. */
export const layerSchema = z.discriminatedUnion('kind', [...plainLayers, residualSchema]).meta({ id: 'layer' })

export const architectureSchema = z
  .strictObject({
    $schema: z
      .string()
      .optional()
      .describe('Where editors find this schema, e.g. "../schema/architecture.schema.json"; ignored otherwise.'),
    name: z.string().trim().min(1).max(100).describe('Shown in tables and recorded with runs.'),
    layers: layersArray(layerSchema).describe(
      `The layers in order (at most ${MAX_LAYERS} in all, residual blocks nested at most ${MAX_DEPTH} deep).`
    )
  })
  .describe('An Atelier architecture: a list of layers from the image to one probability per class.')

/** A layer after parsing: defaults filled in. */
export type Layer = z.output<typeof layerSchema>
/** A layer as written in a file (defaults may be left out). */
export type LayerInput = z.input<typeof layerSchema>
export type LayerKind = Layer['kind']
export type Architecture = z.output<typeof architectureSchema>
export type ArchitectureInput = z.input<typeof architectureSchema>
