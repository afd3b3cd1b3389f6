/**
 * Structural edits of an architecture as a person makes them in New run: add a layer of a kind, remove,
 * duplicate, move, change a parameter. Pure functions on a draft (the parsed JSON, valid or not: a
 * layer may hold a value the schema refuses, which the editor then names inline); each returns a new
 * draft and never leaves a structure the schema cannot hold (an empty list, a block nested too deep,
 * too many layers). Validation itself stays with the schema and shape inference.
 */
import { layerSchema, MAX_DEPTH, MAX_LAYERS, type Layer, type LayerKind } from './architecture-schema'

/** A layer as edited: the JSON object, whatever its values. */
export type DraftLayer = Record<string, unknown>

/** An architecture as edited: a JSON object with a list of layer objects (residual blocks' `layers` likewise). */
export interface DraftArchitecture {
  [key: string]: unknown
  layers: DraftLayer[]
}

/** Index path of a layer: `[3]`, or `[5, 2]` for the third layer of the residual block at 5. */
export type LayerPath = readonly number[]

/** Every kind a layer can have, in the schema's order. */
export const LAYER_KINDS: readonly LayerKind[] = layerSchema.options.map((o) => o.shape.kind.value)

/** Values for the fields the schema requires without a default, so a new layer is valid as added. */
const STARTING_VALUES: Partial<Record<LayerKind, Record<string, unknown>>> = {
  conv2d: { filters: 32, kernel: 3, padding: 'same' },
  depthwiseConv2d: { kernel: 3, padding: 'same' },
  separableConv2d: { filters: 32, kernel: 3, padding: 'same' },
  maxPool: { size: 2 },
  avgPool: { size: 2 },
  dropout: { rate: 0.25 },
  dense: { units: 128, activation: 'relu' },
  residual: { layers: [{ kind: 'conv2d', filters: 32, kernel: 3, padding: 'same' }, { kind: 'relu' }] }
}

/** A new layer of `kind`: the schema's defaults filled in, starting values for what has none. */
export function newLayer(kind: LayerKind): Layer {
  return layerSchema.parse({ kind, ...copyJson(STARTING_VALUES[kind] ?? {}) })
}

/** A deep copy of JSON data (a draft is JSON; unlike structuredClone this also copies through a Vue proxy). */
const copyJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The value as a draft when it has the structure the editor needs (an object whose `layers`, at every level, are objects), else null. */
export function toDraft(value: unknown): DraftArchitecture | null {
  if (!isRecord(value) || !Array.isArray(value.layers)) return null
  const stack: unknown[] = [...value.layers]
  let count = 0
  while (stack.length) {
    const layer = stack.pop()
    // Bounded like the parser, so a hostile text cannot make the editor walk forever.
    if (!isRecord(layer) || ++count > MAX_LAYERS * 10) return null
    if ('layers' in layer) {
      if (!Array.isArray(layer.layers)) return null
      stack.push(...layer.layers)
    }
  }
  return value as DraftArchitecture
}

/** Layers of a list, those inside residual blocks included. */
export function countLayers(layers: readonly DraftLayer[]): number {
  return layers.reduce((n, l) => n + 1 + (Array.isArray(l.layers) ? countLayers(l.layers as DraftLayer[]) : 0), 0)
}

/** How deep residual blocks nest inside a layer (0 for a plain layer, 1 for a block of plain layers). */
function nesting(layer: DraftLayer): number {
  return Array.isArray(layer.layers) ? 1 + Math.max(0, ...(layer.layers as DraftLayer[]).map(nesting)) : 0
}

/** The list that holds the layer at `path` (`[5, 2]` → block 5's layers) in a deep copy, and its index there. */
function locate(arch: DraftArchitecture, path: LayerPath): { copy: DraftArchitecture; list: DraftLayer[]; index: number } {
  const copy = copyJson(arch)
  let list = copy.layers
  for (const i of path.slice(0, -1)) {
    const block = list[i]
    if (!block || !Array.isArray(block.layers)) throw new Error(`no residual block at ${path.join('.')}`)
    list = block.layers as DraftLayer[]
  }
  return { copy, list, index: path[path.length - 1] ?? 0 }
}

/** The layer at `path`, or undefined. */
export function layerAt(arch: DraftArchitecture, path: LayerPath): DraftLayer | undefined {
  let list: unknown = arch.layers
  let layer: DraftLayer | undefined
  for (const i of path) {
    if (!Array.isArray(list)) return undefined
    layer = list[i] as DraftLayer | undefined
    list = layer?.layers
  }
  return layer
}

/** Result of an edit: the new draft and where the edited layer now is, or why the edit was refused. */
export type LayerEdit = { ok: true; arch: DraftArchitecture; path: number[] } | { ok: false; reason: string }

/**
 * Inserts `layer` at `path` (the index it takes; the list's length appends). Refused when the whole
 * would exceed {@link MAX_LAYERS} or a block would nest deeper than {@link MAX_DEPTH}.
 */
export function insertLayer(arch: DraftArchitecture, path: LayerPath, layer: DraftLayer): LayerEdit {
  if (countLayers(arch.layers) + countLayers([layer]) > MAX_LAYERS) return { ok: false, reason: `at most ${MAX_LAYERS} layers in all` }
  if (path.length - 1 + nesting(layer) > MAX_DEPTH) return { ok: false, reason: `residual blocks nest at most ${MAX_DEPTH} deep` }
  const { copy, list, index } = locate(arch, path)
  const at = Math.max(0, Math.min(index, list.length))
  list.splice(at, 0, copyJson(layer))
  return { ok: true, arch: copy, path: [...path.slice(0, -1), at] }
}

/**
 * Removes the layer at `path`. A block's only layer takes the block with it (a block cannot be empty);
 * the architecture's only layer stays (refused).
 */
export function removeLayer(arch: DraftArchitecture, path: LayerPath): LayerEdit {
  const { copy, list, index } = locate(arch, path)
  if (index >= list.length) return { ok: false, reason: 'no such layer' }
  if (list.length === 1) {
    if (path.length === 1) return { ok: false, reason: 'an architecture needs at least one layer' }
    return removeLayer(arch, path.slice(0, -1))
  }
  list.splice(index, 1)
  return { ok: true, arch: copy, path: [...path.slice(0, -1), Math.min(index, list.length - 1)] }
}

/** Inserts a copy of the layer at `path` right after it; the copy is the edited layer. */
export function duplicateLayer(arch: DraftArchitecture, path: LayerPath): LayerEdit {
  const layer = layerAt(arch, path)
  if (!layer) return { ok: false, reason: 'no such layer' }
  return insertLayer(arch, [...path.slice(0, -1), (path[path.length - 1] ?? 0) + 1], layer)
}

/** Moves the layer at `path` one place up (-1) or down (+1) within its list; refused at either end. */
export function moveLayer(arch: DraftArchitecture, path: LayerPath, delta: -1 | 1): LayerEdit {
  const { copy, list, index } = locate(arch, path)
  const to = index + delta
  if (index >= list.length || to < 0 || to >= list.length) return { ok: false, reason: delta < 0 ? 'already first' : 'already last' }
  const [layer] = list.splice(index, 1)
  list.splice(to, 0, layer!)
  return { ok: true, arch: copy, path: [...path.slice(0, -1), to] }
}

/** Sets the architecture's name. */
export const renameArchitecture = (arch: DraftArchitecture, name: string): DraftArchitecture => ({ ...copyJson(arch), name })

/** Sets fields of the layer at `path`; an undefined value removes the field (the schema's default, or its error, applies). */
export function updateLayer(arch: DraftArchitecture, path: LayerPath, fields: Record<string, unknown>): LayerEdit {
  const { copy, list, index } = locate(arch, path)
  const layer = list[index]
  if (!layer) return { ok: false, reason: 'no such layer' }
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete layer[key]
    else layer[key] = value
  }
  return { ok: true, arch: copy, path: [...path] }
}
