/**
 * Turns zod's generic wording ("Too small: expected number to be >=1") into a sentence about the
 * field ("Epochs must be a whole number between 1 and 500"), with the limits read from the schema
 * itself, so the message can never disagree with what is enforced.
 */
import { z } from 'zod'
import { hparamsSchema, type FieldError } from '@shared/hparams'
import { integer, significant } from '@renderer/lib/format'

/** What each field is called on the form, by dotted path. */
export const HPARAM_LABELS: Record<string, string> = {
  preset: 'Preset',
  dataset: 'Dataset',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  validationSplit: 'Validation split',
  seed: 'Seed',
  trainSubset: 'Train subset',
  'earlyStopping.monitor': 'Early-stopping monitor',
  'earlyStopping.patience': 'Early-stopping patience',
  'reduceLrOnPlateau.monitor': 'Plateau monitor',
  'reduceLrOnPlateau.factor': 'Plateau factor',
  'reduceLrOnPlateau.patience': 'Plateau patience',
  'reduceLrOnPlateau.minLr': 'Min LR',
  'recipe.optimizer': 'Optimizer',
  'recipe.momentum': 'Momentum',
  'recipe.weightDecay': 'Weight decay',
  'recipe.schedule': 'Learning-rate schedule',
  'recipe.warmupEpochs': 'Warmup (epochs)',
  'recipe.labelSmoothing': 'Label smoothing',
  'recipe.augment.shift': 'Augment shift (px)',
  'recipe.augment.flip': 'Augment flip',
  'recipe.augment.erase': 'Augment erase probability'
}

// zod's own messages for type, range and option problems; anything else was written on purpose
// (e.g. by main) and is kept as it is.
const GENERIC = /^(too (small|big)|invalid (input|option|type|value))\b/i

interface Bound {
  value: number
  inclusive: boolean
}

/** The schema at a dotted path, through nullable/optional wrappers; null when there is none. */
function schemaAt(path: string): z.ZodType | null {
  let node: z.ZodType = hparamsSchema
  for (const key of path.split('.')) {
    while (node instanceof z.ZodNullable || node instanceof z.ZodOptional || node instanceof z.ZodDefault) node = node.unwrap() as z.ZodType
    if (!(node instanceof z.ZodObject)) return null
    const next = (node.shape as Record<string, z.ZodType | undefined>)[key]
    if (!next) return null
    node = next
  }
  while (node instanceof z.ZodNullable || node instanceof z.ZodOptional || node instanceof z.ZodDefault) node = node.unwrap() as z.ZodType
  return node
}

/** A number schema's bounds and whether it wants whole numbers, from its checks. */
function numberRules(schema: z.ZodNumber): { min: Bound | null; max: Bound | null; int: boolean } {
  let min: Bound | null = null
  let max: Bound | null = null
  for (const check of schema._zod.def.checks ?? []) {
    const def = check._zod.def as { check: string; value?: unknown; inclusive?: boolean }
    if (typeof def.value !== 'number') continue
    if (def.check === 'greater_than') min = { value: def.value, inclusive: def.inclusive ?? true }
    if (def.check === 'less_than') max = { value: def.value, inclusive: def.inclusive ?? true }
  }
  return { min, max, int: schema.isInt }
}

const show = (n: number): string => (Number.isInteger(n) ? integer(n) : significant(n))

function rangeWords(min: Bound | null, max: Bound | null): string {
  if (min && max && min.inclusive && max.inclusive) return `between ${show(min.value)} and ${show(max.value)}`
  const lower = min ? `${min.inclusive ? 'at least' : 'greater than'} ${show(min.value)}` : ''
  const upper = max ? `${max.inclusive ? 'at most' : 'less than'} ${show(max.value)}` : ''
  return [lower, upper].filter(Boolean).join(' and ')
}

/** The sentence for one field, or null when the path is not a field this form knows. */
export function fieldRule(path: string): string | null {
  const label = HPARAM_LABELS[path]
  const schema = schemaAt(path)
  if (!label || !schema) return null
  if (schema instanceof z.ZodNumber) {
    const { min, max, int } = numberRules(schema)
    const range = rangeWords(min, max)
    return `${label} must be ${int ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}`
  }
  if (schema instanceof z.ZodEnum) return `${label} must be one of ${(schema.options as string[]).join(', ')}`
  return null
}

/** Field errors in words a person can act on; specific messages keep their text under the field's name. */
export function humaniseFieldErrors(errors: readonly FieldError[]): FieldError[] {
  const out: FieldError[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    const rule = GENERIC.test(e.message) ? fieldRule(e.path) : null
    const label = HPARAM_LABELS[e.path]
    const message = rule ?? (label ? `${label}: ${e.message}` : e.message)
    // Several zod issues on one field (not whole and too small) become the same sentence: say it once.
    const key = `${e.path}\u0000${message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ path: e.path, message })
  }
  return out
}
