/**
 * Reading an architecture: JSON text or a parsed value → a checked {@link Architecture}, or one line
 * per problem naming the layer (its index path, e.g. `5.2` inside a residual block) and the field.
 */
import { z } from 'zod'
import { architectureSchema, MAX_DEPTH, MAX_LAYERS, type Architecture } from './architecture-schema'

/** One problem with an architecture file. */
export interface ArchitectureIssue {
  /** Index path of the layer (`"3"`, `"5.2"` inside a residual block), or `""` for the file itself. */
  path: string
  /** The field at fault (`"filters"`), or `""`. */
  field: string
  /** One line a person can act on, naming the layer and the field. */
  message: string
}

export type ParseArchitectureResult = { ok: true; architecture: Architecture } | { ok: false; issues: ArchitectureIssue[] }

/**
 * Checks a parsed JSON value. Nesting depth and layer count are bounded first, with an explicit stack,
 * so a hostile file (a residual block nested 100,000 deep) is refused without deep recursion.
 */
export function parseArchitecture(value: unknown): ParseArchitectureResult {
  const bounds = boundsIssue(value)
  if (bounds) return { ok: false, issues: [bounds] }
  const result = architectureSchema.safeParse(value)
  if (result.success) return { ok: true, architecture: result.data }
  return { ok: false, issues: result.error.issues.map((issue) => describeIssue(issue, value)) }
}

/**
 * The architecture as a field of a larger schema (a run's hyperparameters): bounded first like
 * {@link parseArchitecture}, so a hostile value sent over the API never drives zod into deep recursion.
 */
export const boundedArchitectureSchema = z.preprocess((value, ctx) => {
  const issue = boundsIssue(value)
  if (issue) {
    ctx.addIssue({ code: 'custom', message: issue.message })
    return z.NEVER
  }
  return value
}, architectureSchema)

/** The first problem on one line, with how many more there are: what `arch check`, `arch save` and the API say. */
export function issuesText(issues: readonly ArchitectureIssue[]): string {
  const more = issues.length - 1
  return `${issues[0].message}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`
}

/** JSON text → architecture; invalid JSON is reported with its line and column when the parser gives a position. */
export function parseArchitectureJson(text: string): ParseArchitectureResult {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { ok: false, issues: [{ path: '', field: '', message: jsonErrorText(text, error as Error) }] }
  }
  return parseArchitecture(value)
}

function jsonErrorText(text: string, error: Error): string {
  // V8 quotes a snippet of the text, newlines included: keep the message on one line.
  const detail = error.message.replace(/\s*\(line \d+ column \d+\)$/, '').replace(/\r?\n/g, '\\n')
  const at = /position (\d+)/.exec(error.message)
  const position = at ? Number(at[1]) : /end of JSON input/.test(error.message) ? text.length : null
  if (position === null) return `not valid JSON: ${detail}`
  const before = text.slice(0, position)
  const line = before.split('\n').length
  const column = before.length - before.lastIndexOf('\n')
  return `not valid JSON at line ${line}, column ${column}: ${detail.replace(/ in JSON at position \d+/, '')}`
}

interface Pending {
  value: unknown
  path: string
  depth: number
}

/** Too many layers or too deep a nesting, checked without recursion (null when within bounds): run before zod walks the value. */
export function boundsIssue(value: unknown): ArchitectureIssue | null {
  if (!isRecord(value) || !Array.isArray(value.layers)) return null
  const stack: Pending[] = value.layers.map((v, i) => ({ value: v, path: String(i), depth: 0 }))
  let count = 0
  while (stack.length) {
    const { value: layer, path, depth } = stack.pop()!
    count++
    if (count > MAX_LAYERS) {
      return { path: '', field: 'layers', message: `more than ${MAX_LAYERS} layers (residual blocks' layers included); remove some` }
    }
    if (isRecord(layer) && Array.isArray(layer.layers)) {
      if (depth + 1 > MAX_DEPTH) {
        return {
          path,
          field: 'layers',
          message: `layer ${path} (${String(layer.kind)}): residual blocks nest more than ${MAX_DEPTH} deep; flatten the nesting`
        }
      }
      layer.layers.forEach((v, i) => stack.push({ value: v, path: `${path}.${i}`, depth: depth + 1 }))
    }
  }
  return null
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** `['layers', 5, 'layers', 2, 'filters']` → layer path `5.2`, field `filters`. */
function splitPath(path: PropertyKey[]): { layer: string; field: string; layerValue: number[] } {
  const indices: number[] = []
  let i = 0
  while (path[i] === 'layers' && typeof path[i + 1] === 'number') {
    indices.push(path[i + 1] as number)
    i += 2
  }
  return { layer: indices.join('.'), field: path.slice(i).map(String).join('.'), layerValue: indices }
}

function layerAt(root: unknown, indices: number[]): unknown {
  let current: unknown = root
  for (const i of indices) current = isRecord(current) && Array.isArray(current.layers) ? current.layers[i] : undefined
  return current
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): ArchitectureIssue {
  const { layer, field, layerValue } = splitPath(issue.path)
  const value = layerAt(root, layerValue)
  const kind = isRecord(value) && typeof value.kind === 'string' ? value.kind : undefined
  const where = layer === '' ? (field ? `the file's "${field}"` : 'the file') : `layer ${layer}${kind ? ` (${kind})` : ''}`
  const what = issueText(issue, field, value)
  const fieldText = layer !== '' && field && field !== 'kind' ? ` field "${field}"` : ''
  return { path: layer, field, message: `${where}${fieldText}: ${what}` }
}

function issueText(issue: z.core.$ZodIssue, field: string, layer: unknown): string {
  switch (issue.code) {
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator === 'kind') {
        const options = (issue as { options?: unknown[] }).options ?? []
        const got = isRecord(layer) ? layer.kind : undefined
        return got === undefined
          ? `needs a "kind" (one of ${options.join(', ')})`
          : `unknown kind ${JSON.stringify(got)}; use one of ${options.join(', ')}`
      }
      return issue.message
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove ${issue.keys.length === 1 ? 'it' : 'them'}`
    case 'invalid_type': {
      // zod leaves the input out of its issues; read it back from the layer.
      const given = valueOf(layer, field)
      return given === MISSING
        ? `is missing (expected ${article(issue.expected)})`
        : `must be ${article(issue.expected)}, not ${JSON.stringify(given)}`
    }
    case 'too_big':
      if (issue.origin === 'array') return `has more than ${issue.maximum} entries`
      if (issue.origin === 'string') return `is longer than ${issue.maximum} characters`
      return `must be ${issue.inclusive ? 'at most' : 'below'} ${issue.maximum}, not ${JSON.stringify(valueOf(layer, field))}`
    case 'too_small':
      if (issue.origin === 'array') return `must not be empty`
      if (issue.origin === 'string') return `must not be empty`
      return `must be ${issue.inclusive ? 'at least' : 'above'} ${issue.minimum}, not ${JSON.stringify(valueOf(layer, field))}`
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(valueOf(layer, field))}`
    case 'not_multiple_of':
      return `must be a whole number, not ${JSON.stringify(valueOf(layer, field))}`
    default:
      return issue.message
  }
}

const article = (type: string): string => (type === 'int' ? 'a whole number' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`)

const MISSING = Symbol('missing')

function valueOf(layer: unknown, field: string): unknown {
  if (field === '') return layer
  return isRecord(layer) && field in layer ? layer[field] : MISSING
}
