/**
 * Converts a trained tf.js model into an ONNX model (opset 13), encoded with the ONNX protobuf schema: a
 * Sequential preset or any functional graph of the layers onnx-layers.ts maps (convolutions plain,
 * depthwise and separable, pooling, batch norm, dense, activations, `add` joining residual branches).
 * The graph is walked from the output back through each layer's inbound node, so branches come out in
 * an order where every tensor exists before it is read.
 *
 * The ONNX graph keeps the tf.js interface: input `image` float32 `[N, height, width, channels]` (NHWC,
 * the model's own input shape) of bytes × scale (1/255); output `probabilities` float32 `[N, classes]`.
 * How a picture becomes that input is stated in the `atelier_preprocessing` metadata entry (the JSON
 * of preprocessing-json.ts, also written beside the file by the folder export). Convolutions and pooling
 * run in NCHW inside the graph (ONNX's layout); before Flatten the graph goes back to NHWC so Dense
 * kernels see features in the order tf.js trained them on.
 */
import type * as tf from '@tensorflow/tfjs'
import type { onnx as Onnx } from 'onnx-proto'
import { GraphBuilder, onnx, type OnnxTensor } from './onnx-graph'
import { convertLayer } from './onnx-layers'

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

/** A layer applied once: tf.js's record of which tensors went in and came out. */
type LayerNode = tf.layers.Layer['inboundNodes'][number]

/**
 * The layer calls that lead from the input to the output, each after the calls it reads from (depth-first,
 * so a Sequential model comes out in its own order and a residual block's branches one after the other).
 */
function callsInOrder(model: tf.LayersModel): LayerNode[] {
  const order: LayerNode[] = []
  const seen = new Set<LayerNode>()
  const inputIds = new Set(model.inputs.map((t) => t.id))
  const visit = (t: tf.SymbolicTensor): void => {
    if (inputIds.has(t.id)) return
    const node = t.sourceLayer.inboundNodes[t.nodeIndex]
    if (seen.has(node)) return
    seen.add(node)
    if (node.inputTensors.length === 0) throw new Error(`layer ${t.sourceLayer.name} is not connected to the model's input`)
    node.inputTensors.forEach(visit)
    order.push(node)
  }
  visit(model.outputs[0])
  return order
}

/** Gives the graph's result its public name: renames the node output that holds it, or copies the input through. */
function nameOutput(g: GraphBuilder, result: string): void {
  const producer = g.nodes.find((n) => n.output![0] === result)
  if (!producer) return void g.node('Identity', [result], [], ONNX_OUTPUT)
  producer.output = [ONNX_OUTPUT]
  for (const n of g.nodes) n.input = n.input!.map((name) => (name === result ? ONNX_OUTPUT : name))
}

/** Serialises the model; throws naming the layer when a layer or option is not supported. */
export function modelToOnnx(options: OnnxExportOptions): Uint8Array {
  const { model, classNames } = options
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new Error(`ONNX export expects a model of one input and one output, not ${model.inputs.length} and ${model.outputs.length}`)
  const inputShape = model.inputs[0].shape
  if (inputShape.length !== 4 || (inputShape[3] !== 1 && inputShape[3] !== 3))
    throw new Error(`ONNX export expects an NHWC image input of 1 or 3 channels, not ${JSON.stringify(inputShape)}`)
  const [, height, width, channels] = inputShape as number[]
  const g = new GraphBuilder()
  // The ONNX tensor of each tf.js symbolic tensor, by id.
  const tensors = new Map<number, OnnxTensor>([[model.inputs[0].id, { name: ONNX_INPUT, layout: 'nhwc' }]])
  for (const node of callsInOrder(model)) {
    if (node.outputTensors.length !== 1) throw new Error(`layer ${node.outboundLayer.name}: layers of several outputs are not supported`)
    const out = convertLayer(g, {
      layer: node.outboundLayer,
      inputs: node.inputTensors.map((t) => tensors.get(t.id)!),
      inputShapes: node.inputTensors.map((t) => t.shape)
    })
    tensors.set(node.outputTensors[0].id, out)
  }
  const result = tensors.get(model.outputs[0].id)!
  if (result.layout !== 'flat')
    throw new Error('ONNX export expects the model to end in [N, classes], after Flatten, global pooling or Dense')
  nameOutput(g, result.name)
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
