/**
 * The sweep form's checks in words a person can act on, one message under each field that is
 * wrong, naming the value that is at fault ("“3x” is not a number", "“0”: Batch size must be a
 * whole number between 1 and 4096"), instead of the validator's raw text in one box.
 */
import type { z } from 'zod'
import { fieldRule } from '@renderer/components/new-run/humaniseFieldErrors'

/** The form's fields, as the template places messages under them. */
export type SweepField =
  | 'presets'
  | 'optimizers'
  | 'schedules'
  | 'augments'
  | 'learningRate'
  | 'batchSizes'
  | 'epochs'
  | 'validationSplits'
  | 'seeds'
  | 'trials'
  | 'trainSubset'
  | 'form'

/** The comma- or space-separated lists as typed, so messages can quote a token. */
export interface SweepListTexts {
  batchSizes: string
  epochs: string
  validationSplits: string
}

/** A list's numbers, and the tokens that are not numbers. */
export interface ParsedList {
  values: number[]
  tokens: string[]
  notNumbers: string[]
}

/** `"32, 64"` → `[32, 64]`; `"32, 6x4"` names `6x4` as not a number. */
export function parseList(text: string): ParsedList {
  const tokens = text.split(/[,\s]+/).filter(Boolean)
  const values = tokens.map(Number)
  return { values, tokens, notNumbers: tokens.filter((_, i) => !Number.isFinite(values[i])) }
}

// Which hyperparameter's rule a sweep field's values obey.
const RULE_OF: Record<string, string> = {
  batchSizes: 'batchSize',
  epochs: 'epochs',
  validationSplits: 'validationSplit',
  'learningRate.min': 'learningRate',
  'learningRate.max': 'learningRate',
  'seeds.base': 'seed',
  trainSubset: 'trainSubset'
}

const NAMES: Record<string, string> = {
  'learningRate.min': 'The lowest learning rate',
  'learningRate.max': 'The highest learning rate',
  'learningRate.count': 'The number of learning rates',
  'seeds.base': 'The first seed',
  'seeds.count': 'Seeds per configuration',
  trials: 'Trials'
}

// zod's own wording; messages written on purpose in the schema ("each batch size only once") are kept.
const GENERIC = /^(too (small|big)|invalid (input|option|type|value))\b/i
const LISTS = new Set(['batchSizes', 'epochs', 'validationSplits'])

function messageFor(issue: z.core.$ZodIssue, lists: Record<string, ParsedList>): string {
  const [head, second] = issue.path.map(String)
  const dotted = second !== undefined && !LISTS.has(head!) ? `${head}.${second}` : head!
  if (dotted === 'learningRate.max' && /^min must not exceed max/.test(issue.message))
    return 'The lowest learning rate must not exceed the highest'
  if (!GENERIC.test(issue.message)) return issue.message.charAt(0).toUpperCase() + issue.message.slice(1)
  if (LISTS.has(head!) && second !== undefined) {
    const token = lists[head!]?.tokens[Number(second)] ?? ''
    return `“${token}”: ${fieldRule(RULE_OF[head!]!) ?? issue.message}`
  }
  const rule = RULE_OF[dotted] ? fieldRule(RULE_OF[dotted]!) : null
  const name = NAMES[dotted]
  if (issue.code === 'invalid_type') return `${name ?? 'This value'} is empty: give a number`
  if (rule) return name ? `${name}: ${rule.charAt(0).toLowerCase()}${rule.slice(1)}` : rule
  return name ? `${name} is out of range (${issue.message.toLowerCase()})` : issue.message
}

/**
 * One message per field. Tokens that are not numbers are named first (the schema would only say
 * "expected number, received NaN"); then each schema issue goes under its field.
 */
export function sweepFormErrors(texts: SweepListTexts, issues: readonly z.core.$ZodIssue[]): Partial<Record<SweepField, string>> {
  const lists: Record<string, ParsedList> = {
    batchSizes: parseList(texts.batchSizes),
    epochs: parseList(texts.epochs),
    validationSplits: parseList(texts.validationSplits)
  }
  const out: Partial<Record<SweepField, string>> = {}
  const add = (field: SweepField, message: string) => {
    const before = out[field]
    if (before === undefined) out[field] = message
    else if (!before.split('; ').includes(message)) out[field] = `${before}; ${message}`
  }
  for (const [field, list] of Object.entries(lists)) {
    if (list.notNumbers.length) {
      add(
        field as SweepField,
        `${list.notNumbers.map((t) => `“${t}”`).join(', ')} ${list.notNumbers.length === 1 ? 'is' : 'are'} not ${list.notNumbers.length === 1 ? 'a number' : 'numbers'}`
      )
    }
  }
  for (const issue of issues) {
    const head = String(issue.path[0] ?? '(root)')
    if (LISTS.has(head) && lists[head]!.notNumbers.length) continue
    const field: SweepField = head === '(root)' || !(head in FIELD_OF) ? 'form' : FIELD_OF[head]!
    add(field, messageFor(issue, lists))
  }
  return out
}

const FIELD_OF: Record<string, SweepField> = {
  presets: 'presets',
  optimizers: 'optimizers',
  schedules: 'schedules',
  augments: 'augments',
  learningRate: 'learningRate',
  batchSizes: 'batchSizes',
  epochs: 'epochs',
  validationSplits: 'validationSplits',
  seeds: 'seeds',
  trials: 'trials',
  trainSubset: 'trainSubset'
}
