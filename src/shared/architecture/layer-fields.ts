/**
 * The parameters of each layer kind as an editor needs them (a number, a choice, a yes/no), read from
 * the zod schema itself, so the structural editor offers exactly what the schema checks.
 */
import type { z } from 'zod'
import { layerSchema, type LayerKind } from './architecture-schema'

/** One parameter of a layer kind. */
export interface LayerField {
  name: string
  type: 'number' | 'choice' | 'boolean'
  /** Whole numbers only (numbers). */
  integer: boolean
  /** Bounds the schema states (numbers; a strict bound is given as the bound). */
  min?: number
  max?: number
  /** The choices (choice fields). */
  options: string[]
  /** May be left out: the schema's default applies, or (no default) nothing does, e.g. no activation. */
  optional: boolean
  /** The schema's default, when it has one. */
  defaultValue?: unknown
  /** The schema's one-line description. */
  description: string
}

interface Introspected {
  def: { type: string; innerType?: Introspected; defaultValue?: unknown }
  description?: string
  minValue?: number | null
  maxValue?: number | null
  isInt?: boolean
  options?: unknown[]
}

function describeField(name: string, schema: z.ZodType): LayerField | null {
  let t = schema as unknown as Introspected
  const description = t.description ?? ''
  let optional = false
  let defaultValue: unknown
  while ((t.def.type === 'default' || t.def.type === 'optional') && t.def.innerType) {
    optional = true
    if (t.def.type === 'default') defaultValue = t.def.defaultValue
    t = t.def.innerType
  }
  const base = { name, optional, defaultValue, description: description || (t.description ?? ''), integer: false, options: [] }
  switch (t.def.type) {
    case 'number':
      return { ...base, type: 'number', integer: t.isInt === true, min: t.minValue ?? undefined, max: t.maxValue ?? undefined }
    case 'enum':
      return { ...base, type: 'choice', options: (t.options ?? []).map(String) }
    case 'boolean':
      return { ...base, type: 'boolean' }
    default:
      // kind (a literal) and a block's layers are edited structurally, not as a field.
      return null
  }
}

const FIELDS = new Map<string, LayerField[]>(
  layerSchema.options.map((o) => [
    o.shape.kind.value,
    Object.entries(o.shape as Record<string, z.ZodType>).flatMap(([name, s]) => describeField(name, s) ?? [])
  ])
)

/** The editable parameters of a layer kind, in the schema's order (none for an unknown kind). */
export const layerFields = (kind: LayerKind | string): LayerField[] => FIELDS.get(kind) ?? []

/** The schema's one-line description of a layer kind. */
export const kindDescription = (kind: LayerKind | string): string =>
  layerSchema.options.find((o) => o.shape.kind.value === kind)?.description ?? ''
