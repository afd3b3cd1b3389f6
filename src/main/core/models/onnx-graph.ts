/**
 * The pieces the ONNX exporter builds a graph from: a node/initializer builder with per-graph unique
 * names, attribute helpers, and the tf.js → ONNX weight and padding conversions.
 */
import * as tf from '@tensorflow/tfjs'
// onnx-proto is CommonJS whose named exports Node's ESM loader cannot see: take its default export.
import onnxProto, { type onnx as Onnx } from 'onnx-proto'

export const { onnx } = onnxProto

/**
 * How a tensor of the ONNX graph is laid out: `nhwc` as tf.js holds images, `nchw` as ONNX's Conv and
 * pooling want them, `flat` for `[N, features]` (features in tf.js's NHWC order).
 */
export type Layout = 'nhwc' | 'nchw' | 'flat'

/** A tensor of the ONNX graph: its name and layout. */
export interface OnnxTensor {
  name: string
  layout: Layout
}

const AT = onnx.AttributeProto.AttributeType

/** Builds nodes and initializers while walking the layers; names are unique per graph. */
export class GraphBuilder {
  readonly nodes: Onnx.INodeProto[] = []
  readonly initializers: Onnx.ITensorProto[] = []
  private counter = 0
  /** NCHW copies already made of NHWC tensors, so a tensor read by two branches is transposed once. */
  private readonly nchwOf = new Map<string, string>()

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

  /** A float32 scalar initializer (for the elementary ops that spell out GELU and friends). */
  scalar(prefix: string, value: number): string {
    return this.weight(prefix, Float32Array.of(value), [])
  }

  /** The tensor in NCHW, transposing an NHWC one; a flat tensor has no spatial layout to give. */
  toNchw(t: OnnxTensor, layerName: string): string {
    if (t.layout === 'nchw') return t.name
    if (t.layout === 'flat') throw new Error(`layer ${layerName}: a spatial layer cannot follow Flatten, global pooling or Dense`)
    let out = this.nchwOf.get(t.name)
    if (!out) {
      out = this.node('Transpose', [t.name], [ints('perm', [0, 3, 1, 2])])
      this.nchwOf.set(t.name, out)
    }
    return out
  }
}

export const ints = (name: string, values: number[]): Onnx.IAttributeProto => ({ name, type: AT.INTS, ints: values })
export const int = (name: string, value: number): Onnx.IAttributeProto => ({ name, type: AT.INT, i: value })
export const float = (name: string, value: number): Onnx.IAttributeProto => ({ name, type: AT.FLOAT, f: value })

/** A copy of a tensor's values. */
export const data = (t: tf.Tensor): Float32Array => Float32Array.from(t.dataSync() as Float32Array)

/** Reorders a tf.js Conv2D kernel `[kh, kw, in, out]` into ONNX's `[out, in, kh, kw]`. */
export function convKernel(kernel: tf.Tensor): { values: Float32Array; dims: number[] } {
  const t = tf.tidy(() => tf.transpose(kernel, [3, 2, 0, 1]))
  const values = t.dataSync() as Float32Array
  const dims = t.shape
  t.dispose()
  return { values: Float32Array.from(values), dims }
}

/**
 * Reorders a tf.js depthwise kernel `[kh, kw, in, multiplier]` into ONNX's grouped `[in × multiplier, 1, kh, kw]`:
 * tf.js numbers output channel `c × multiplier + m`, which is ONNX's group `c`, member `m`.
 */
export function depthwiseKernel(kernel: tf.Tensor): { values: Float32Array; dims: number[] } {
  const [kh, kw, channels, multiplier] = kernel.shape
  const t = tf.tidy(() => tf.transpose(kernel, [2, 3, 0, 1]))
  const values = Float32Array.from(t.dataSync() as Float32Array)
  t.dispose()
  return { values, dims: [channels * multiplier, 1, kh, kw] }
}

/** A size, stride or rate that tf.js gives as a number or a pair, as a pair of integers. */
export function pair(value: unknown, what: string): number[] {
  const v = Array.isArray(value) ? (value as number[]) : [value as number, value as number]
  if (v.length !== 2 || v.some((x) => !Number.isInteger(x))) throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`)
  return v
}

/**
 * ONNX `pads` ([top, left, bottom, right]) reproducing tf.js's padding for a window over `size` (height, width).
 * "same" pads to `ceil(size / stride)` outputs, splitting the padding with the odd pixel after (bottom/right),
 * as TensorFlow does; stated explicitly because ONNX's SAME_UPPER is not defined alike for every runtime.
 */
export function windowPads(options: {
  padding: unknown
  kernel: number[]
  strides: number[]
  size: number[]
  layerName: string
}): number[] {
  const { padding, kernel, strides, size, layerName } = options
  if (padding === 'valid') return [0, 0, 0, 0]
  if (padding !== 'same') throw new Error(`layer ${layerName}: padding "${String(padding)}"`)
  const total = kernel.map((k, i) => Math.max((Math.ceil(size[i] / strides[i]) - 1) * strides[i] + k - size[i], 0))
  const before = total.map((p) => Math.floor(p / 2))
  return [...before, ...total.map((p, i) => p - before[i])]
}
