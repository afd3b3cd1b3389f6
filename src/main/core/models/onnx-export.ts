/**
 * Converts a trained preset model (a tf.js Sequential of Conv2D, MaxPooling2D, Dense, Flatten, Dropout,
 * BatchNormalization and ReLU layers) into an ONNX model (opset 13), encoded with the ONNX protobuf schema.
 *
 * The ONNX graph keeps the tf.js interface: input `image` float32 `[N, height, width, channels]` (NHWC,
 * the model's own input shape) of bytes × scale (1/255); output `probabilities` float32 `[N, classes]`.
 * How a picture becomes that input is stated in the `atelier_preprocessing` metadata entry (the JSON
 * of preprocessing-json.ts, also written beside the file by the folder export). Convolutions and pooling
 * run in NCHW inside the graph (ONNX's layout); before Flatten the graph goes back to NHWC so Dense
 * kernels see features in the order tf.js trained them on.
 */
import * as tf from '@tensorflow/tfjs'
// onnx-proto is CommonJS whose named exports Node's ESM loader cannot see: take its default export.
import onnxProto, { type onnx as Onnx } from 'onnx-proto'

const { onnx } = onnxProto

export const ONNX_OPSET = 13
export const ONNX_INPUT = 'image'
export const ONNX_OUTPUT = 'probabilities'

export interface OnnxExportOptions {
  model: tf.LayersModel
  /** Output index → class name, stored in the model's metadata as `class_names` (JSON array). */
  classNames: readonly string[]
  /** Extra metadata entries (run id, preset, app version, `atelier_preprocessing`…). */
  metadata?: Record<string, string>
  /** Dataset name for the graph's description (default "image"). */
  datasetTitle?: string
  producerVersion?: string
}

type Layout = 'nhwc' | 'nchw' | 'flat'

const AT = onnx.AttributeProto.AttributeType

/** Builds nodes and initializers while walking the layers; names are unique per graph. */
class GraphBuilder {
  readonly nodes: Onnx.INodeProto[] = []
  readonly initializers: Onnx.ITensorProto[] = []
  private counter = 0

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`
  }

  node(opType: string, inputs: string[], attributes: Onnx.IAttributeProto[] = [], output?: string): string {
    const out = output ?? this.fresh(opType.toLowerCase())
    this.nodes.push({ opType, input: inputs, output: [out], name: this.fresh(`${opType}_node`), attribute: attributes })
    return out
  }

  /** A float32 initializer; the bytes are copied little-endian into `raw_data`. */
  weight(prefix: string, values: Float32Array, dims: number[]): string {
    const name = this.fresh(prefix)
    const raw = new Uint8Array(values.length * 4)
    const view = new DataView(raw.buffer)
    values.forEach((v, i) => view.setFloat32(i * 4, v, true))
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw })
    return name
  }
}

const ints = (name: string, values: number[]): Onnx.IAttributeProto => ({ name, type: AT.INTS, ints: values })
const int = (name: string, value: number): Onnx.IAttributeProto => ({ name, type: AT.INT, i: value })
const float = (name: string, value: number): Onnx.IAttributeProto => ({ name, type: AT.FLOAT, f: value })

/** Reorders a tf.js Conv2D kernel `[kh, kw, in, out]` into ONNX's `[out, in, kh, kw]`. */
function convKernel(kernel: tf.Tensor): { values: Float32Array; dims: number[] } {
  const t = tf.tidy(() => tf.transpose(kernel, [3, 2, 0, 1]))
  const values = t.dataSync() as Float32Array
  const dims = t.shape
  t.dispose()
  return { values: Float32Array.from(values), dims }
}

const data = (t: tf.Tensor): Float32Array => Float32Array.from(t.dataSync() as Float32Array)

/** tf.js "same" padding for stride 1 puts the odd extra pixel after (bottom/right), as ONNX SAME_UPPER. */
function samePads(kernel: number[], strides: number[]): number[] {
  if (strides.some((s) => s !== 1)) throw new Error('ONNX export supports "same" padding with stride 1 only')
  const before = kernel.map((k) => Math.floor((k - 1) / 2))
  const after = kernel.map((k) => k - 1 - Math.floor((k - 1) / 2))
  return [...before, ...after]
}

function pair(value: unknown, what: string): number[] {
  const v = Array.isArray(value) ? (value as number[]) : [value as number, value as number]
  if (v.length !== 2 || v.some((x) => !Number.isInteger(x))) throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`)
  return v
}

/** Appends the activation a Conv2D or Dense layer applies to its output. */
function activation(g: GraphBuilder, input: string, name: unknown, layerName: string): string {
  switch (name ?? 'linear') {
    case 'linear':
      return input
    case 'relu':
      return g.node('Relu', [input])
    case 'softmax':
      return g.node('Softmax', [input], [int('axis', -1)])
    default:
      throw new Error(`layer ${layerName}: activation "${String(name)}" has no ONNX mapping here`)
  }
}

/** Serialises the model; throws naming the layer when a layer or option is not supported. */
export function modelToOnnx(options: OnnxExportOptions): Uint8Array {
  const { model, classNames } = options
  const inputShape = model.inputs[0].shape
  if (inputShape.length !== 4 || (inputShape[3] !== 1 && inputShape[3] !== 3))
    throw new Error(`ONNX export expects an NHWC image input of 1 or 3 channels, not ${JSON.stringify(inputShape)}`)
  const [, height, width, channels] = inputShape as number[]
  const g = new GraphBuilder()
  let current = ONNX_INPUT
  let layout: Layout = 'nhwc'
  const toNchw = (): void => {
    if (layout === 'nhwc') current = g.node('Transpose', [current], [ints('perm', [0, 3, 1, 2])])
    else if (layout === 'flat') throw new Error('a spatial layer cannot follow Flatten')
    layout = 'nchw'
  }

  for (const layer of model.layers) {
    const config = layer.getConfig() as Record<string, unknown>
    const kind = layer.getClassName()
    const weights = layer.getWeights()
    switch (kind) {
      case 'Conv2D': {
        toNchw()
        const kernelSize = pair(config.kernelSize, 'kernel size')
        const strides = pair(config.strides ?? 1, 'strides')
        if (pair(config.dilationRate ?? 1, 'dilation').some((d) => d !== 1))
          throw new Error(`layer ${layer.name}: dilated convolutions are not supported`)
        if (config.dataFormat && config.dataFormat !== 'channelsLast')
          throw new Error(`layer ${layer.name}: only channelsLast is supported`)
        const pads = config.padding === 'same' ? samePads(kernelSize, strides) : [0, 0, 0, 0]
        if (config.padding !== 'same' && config.padding !== 'valid')
          throw new Error(`layer ${layer.name}: padding "${String(config.padding)}"`)
        const kernel = convKernel(weights[0])
        const inputs = [current, g.weight(`${layer.name}_W`, kernel.values, kernel.dims)]
        if (config.useBias !== false) inputs.push(g.weight(`${layer.name}_B`, data(weights[1]), weights[1].shape))
        current = g.node('Conv', inputs, [
          ints('kernel_shape', kernelSize),
          ints('strides', strides),
          ints('pads', pads),
          ints('dilations', [1, 1])
        ])
        current = activation(g, current, config.activation, layer.name)
        break
      }
      case 'MaxPooling2D': {
        toNchw()
        const size = pair(config.poolSize, 'pool size')
        const strides = pair(config.strides ?? config.poolSize, 'strides')
        if (config.padding !== 'valid') throw new Error(`layer ${layer.name}: only "valid" pooling is supported`)
        current = g.node('MaxPool', [current], [ints('kernel_shape', size), ints('strides', strides), ints('pads', [0, 0, 0, 0])])
        break
      }
      case 'Flatten': {
        // tf.js flattens NHWC: the channel varies fastest. Go back to that order before flattening.
        if ((layout as Layout) === 'nchw') current = g.node('Transpose', [current], [ints('perm', [0, 2, 3, 1])])
        current = g.node('Flatten', [current], [int('axis', 1)])
        layout = 'flat'
        break
      }
      case 'Dense': {
        if (layout !== 'flat') throw new Error(`layer ${layer.name}: Dense on a spatial tensor is not supported; add Flatten first`)
        const inputs = [current, g.weight(`${layer.name}_W`, data(weights[0]), weights[0].shape)]
        if (config.useBias !== false) inputs.push(g.weight(`${layer.name}_B`, data(weights[1]), weights[1].shape))
        current = g.node('Gemm', inputs, [float('alpha', 1), float('beta', 1)])
        current = activation(g, current, config.activation, layer.name)
        break
      }
      case 'Dropout':
        // Identity at inference.
        break
      case 'ReLU': {
        if (config.maxValue != null) throw new Error(`layer ${layer.name}: ReLU with a maximum is not supported`)
        current = g.node('Relu', [current])
        break
      }
      case 'BatchNormalization': {
        const axis = config.axis as number
        if (axis !== -1) throw new Error(`layer ${layer.name}: batch normalisation over axis ${axis} is not supported`)
        if (layout === 'nhwc') toNchw()
        // Weights come in order gamma, beta, moving mean, moving variance; gamma/beta are absent when scale/center are off.
        const w = [...weights]
        const channels = w[w.length - 1].shape[0]
        const gamma = config.scale === false ? new Float32Array(channels).fill(1) : data(w.shift() as tf.Tensor)
        const beta = config.center === false ? new Float32Array(channels) : data(w.shift() as tf.Tensor)
        const [mean, variance] = w
        current = g.node(
          'BatchNormalization',
          [
            current,
            g.weight(`${layer.name}_scale`, gamma, [channels]),
            g.weight(`${layer.name}_bias`, beta, [channels]),
            g.weight(`${layer.name}_mean`, data(mean), [channels]),
            g.weight(`${layer.name}_var`, data(variance), [channels])
          ],
          [float('epsilon', config.epsilon as number)]
        )
        break
      }
      default:
        throw new Error(`layer ${layer.name} (${kind}) has no ONNX mapping in Atelier's exporter`)
    }
  }
  // The last node's output carries the public name.
  const last = g.nodes[g.nodes.length - 1]
  last.output = [ONNX_OUTPUT]
  const outUnits = model.outputs[0].shape[1] as number
  if (outUnits !== classNames.length) throw new Error(`the model has ${outUnits} outputs but ${classNames.length} class names were given`)

  const floatTensor = (dims: (number | string)[]): Onnx.ITypeProto => ({
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) }
    }
  })
  const metadata = {
    class_names: JSON.stringify(classNames),
    input_layout: `NHWC float32 [N,${height},${width},${channels}], ${channels === 3 ? 'RGB' : 'grayscale'} bytes × scale (see atelier_preprocessing)`,
    ...options.metadata
  }
  const proto = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Atelier',
    producerVersion: options.producerVersion ?? '',
    docString: `${model.name}: ${options.datasetTitle ?? 'image'} classifier exported from TensorFlow.js`,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: model.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [
        {
          name: ONNX_INPUT,
          type: floatTensor(['N', height, width, channels]),
          docString: `NHWC ${channels === 3 ? 'RGB' : 'grayscale'} images, byte × scale`
        }
      ],
      output: [{ name: ONNX_OUTPUT, type: floatTensor(['N', outUnits]), docString: 'class probabilities (softmax)' }]
    }
  })
  const err = onnx.ModelProto.verify(proto)
  if (err) throw new Error(`ONNX model failed schema verification: ${err}`)
  return onnx.ModelProto.encode(proto).finish()
}
