/**
 * Shape inference and cost of an architecture for a dataset, before any tensor exists: per layer its
 * output shape, parameters and multiply-adds, or the first layer that cannot work, with what to change.
 */
import type { Architecture, Layer, LayerKind } from './architecture-schema'
import { denseCost, layerCost, LayerShapeError, type LayerCost, type Shape } from './layer-cost'

/** More parameters than this is refused: far beyond what trains on this workbench's CPUs. */
export const MAX_PARAMS = 50_000_000

/** The input the architecture is checked against: the dataset's image shape and class count. */
export interface InferenceInput {
  shape: { height: number; width: number; channels: number }
  classCount: number
}

/** One row of the layer table. */
export interface InferredRow extends LayerCost {
  /** Index path: `"3"`, or `"5.2"` for the third layer inside the residual block at index 5 (counted from 0, as in the file). */
  path: string
  kind: LayerKind
}

export interface Inference {
  rows: InferredRow[]
  totalParams: number
  /** Multiply-adds per image of one forward pass. */
  totalMacs: number
}

/** Why an architecture cannot be built for the input. */
export type InferenceErrorCode = 'size' | 'rank' | 'classes' | 'softmax' | 'residual' | 'params'

export interface InferenceError {
  path: string
  kind: LayerKind
  code: InferenceErrorCode
  /** One line: `layer 3 (maxPool): …` and what to change. */
  message: string
  /** The layer's name as the table would show it, when known. */
  layerName?: string
}

export type InferenceResult =
  | ({ ok: true } & Inference)
  | {
      ok: false
      error: InferenceError
      /** The rows of the layers before the failing one (an editor draws their shapes). */
      rows: InferredRow[]
    }

class Refusal extends Error {
  constructor(readonly error: InferenceError) {
    super(error.message)
  }
}

const dims = (shape: Shape): string => shape.join('×')
const refuse = (path: string, kind: LayerKind, code: InferenceErrorCode, text: string, layerName?: string): never => {
  throw new Refusal({ path, kind, code, message: `layer ${path} (${kind}): ${text}`, layerName })
}

/** Rows, parameter and multiply-add totals of `arch` on `input`, or the first layer that cannot work. */
export function inferArchitecture(arch: Architecture, input: InferenceInput): InferenceResult {
  const { shape, classCount } = input
  if (!Number.isInteger(classCount) || classCount < 2) throw new Error(`a classifier needs at least 2 classes, not ${classCount}`)
  const rows: InferredRow[] = []
  try {
    const out = walk(arch.layers, [shape.height, shape.width, shape.channels], { prefix: '', top: true, classCount, rows })
    checkEnd(arch.layers, out, classCount)
    const totalParams = rows.reduce((s, r) => s + r.params, 0)
    if (totalParams > MAX_PARAMS) {
      const biggest = rows.filter((r) => r.kind !== 'residual').reduce((a, b) => (b.params > a.params ? b : a))
      refuse(
        biggest.path,
        biggest.kind,
        'params',
        `the architecture has ${totalParams.toLocaleString('en-US')} parameters, more than ${MAX_PARAMS.toLocaleString('en-US')}; this layer has ${biggest.params.toLocaleString('en-US')} — pool more before it or make it smaller`
      )
    }
    return { ok: true, rows, totalParams, totalMacs: rows.reduce((s, r) => s + r.macs, 0) }
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.error, rows }
    throw error
  }
}

interface WalkContext {
  prefix: string
  /** True for the architecture's own list (not a residual block's). */
  top: boolean
  classCount: number
  rows: InferredRow[]
}

function walk(layers: Layer[], input: Shape, ctx: WalkContext): Shape {
  let current = input
  layers.forEach((layer, i) => {
    const path = `${ctx.prefix}${i}`
    const last = ctx.top && i === layers.length - 1
    if (layer.kind === 'output' && !last) {
      refuse(path, layer.kind, 'softmax', 'output must be the last layer; use dense here, or remove the layers after it')
    }
    if (layer.kind === 'dense' && layer.activation === 'softmax' && !last) {
      refuse(path, layer.kind, 'softmax', 'softmax belongs only on the last layer; use another activation here')
    }
    current = layer.kind === 'residual' ? residual(layer.layers, current, path, ctx) : plain(layer, current, path, ctx)
  })
  return current
}

function plain(layer: Exclude<Layer, { kind: 'residual' }>, input: Shape, path: string, ctx: WalkContext): Shape {
  let cost: LayerCost
  try {
    cost = layer.kind === 'output' ? denseCost(ctx.classCount, 'softmax', true, input) : layerCost(layer, input)
  } catch (error) {
    if (!(error instanceof LayerShapeError)) throw error
    const text =
      error.reason === 'size'
        ? `${error.layerName} would leave no pixels of its ${dims(input)} input; remove a pooling or strided layer before it, use padding "same", or use larger images`
        : error.message
    return refuse(path, layer.kind, error.reason, text, error.layerName)
  }
  ctx.rows.push({ path, kind: layer.kind, ...cost })
  return cost.outputShape
}

/** A residual block: its row (with the projection's cost, if any) first, then its layers. */
function residual(layers: Layer[], input: Shape, path: string, ctx: WalkContext): Shape {
  const row: InferredRow = { path, kind: 'residual', name: '', outputShape: [], params: 0, macs: 0 }
  ctx.rows.push(row)
  const out = walk(layers, input, { ...ctx, prefix: `${path}.`, top: false })
  const count = `${layers.length} layer${layers.length === 1 ? '' : 's'}`
  if (out.length !== input.length) {
    refuse(
      path,
      'residual',
      'residual',
      `its layers turn ${dims(input)} into ${dims(out)}, and a block's output is added to its input; keep flatten, dense and globalAvgPool outside the block`
    )
  }
  let projection = ''
  if (out.some((d, k) => d !== input[k])) {
    if (out.length === 1) {
      row.params = input[0] * out[0] + out[0]
      row.macs = input[0] * out[0]
      projection = ` + projection dense ${out[0]}`
    } else {
      const [h, w, c] = input
      const [oh, ow, oc] = out
      const stride = projectionStride(h, w, oh, ow)
      if (stride === null) {
        refuse(
          path,
          'residual',
          'residual',
          `its layers turn ${h}×${w} into ${oh}×${ow}, which no strided 1×1 projection of the input matches; use padding "same" inside the block`
        )
      }
      row.params = c * oc + oc
      row.macs = oh * ow * c * oc
      projection = ` + projection 1×1 conv ${oc}${stride === 1 ? '' : ` stride ${stride}`}`
    }
  }
  row.name = `Residual (${count})${projection}`
  row.outputShape = [...out]
  return out
}

/** The stride of a 1×1 convolution that takes h×w to oh×ow, or null when none does. */
function projectionStride(h: number, w: number, oh: number, ow: number): number | null {
  for (let s = 1; s <= Math.max(h, w); s++) {
    if (Math.ceil(h / s) === oh && Math.ceil(w / s) === ow) return s
  }
  return null
}

function checkEnd(layers: Layer[], out: Shape, classCount: number): void {
  const path = String(layers.length - 1)
  const last = layers[layers.length - 1]
  if (last.kind === 'output') return
  const end = `end with {"kind": "output"} (a softmax dense layer of one unit per class)`
  if (out.length !== 1) {
    refuse(
      path,
      last.kind,
      'classes',
      `the architecture ends in ${dims(out)} values, not ${classCount} class probabilities; add flatten or globalAvgPool, then ${end}`
    )
  }
  if (out[0] !== classCount) {
    refuse(path, last.kind, 'classes', `the last layer gives ${out[0]} outputs but the dataset has ${classCount} classes; ${end}`)
  }
  if (last.kind !== 'dense' || last.activation !== 'softmax') {
    refuse(
      path,
      last.kind,
      'classes',
      `the last layer must give class probabilities; ${end}, or give this dense layer "activation": "softmax"`
    )
  }
}
