/** Command-line parsing: strict flags, numbers checked, one readable line per problem. */
import { parseArgs } from 'node:util'

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export const FLAG_SPECS = {
  db: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  model: { type: 'string' },
  arch: { type: 'string' },
  recipe: { type: 'string' },
  name: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  'val-split': { type: 'string' },
  seed: { type: 'string' },
  subset: { type: 'string' },
  'early-stop-patience': { type: 'string' },
  'reduce-lr-patience': { type: 'string' },
  'no-reduce-lr': { type: 'boolean' },
  optimizer: { type: 'string' },
  momentum: { type: 'string' },
  nesterov: { type: 'boolean' },
  'weight-decay': { type: 'string' },
  schedule: { type: 'string' },
  'warmup-epochs': { type: 'string' },
  'label-smoothing': { type: 'string' },
  augment: { type: 'string' },
  backend: { type: 'string' },
  predictions: { type: 'string' },
  run: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'no-open': { type: 'boolean' },
  format: { type: 'string' },
  top: { type: 'string' },
  pdf: { type: 'string' },
  repeats: { type: 'string' },
  random: { type: 'string' },
  'lr-count': { type: 'string' },
  seeds: { type: 'string' },
  'draw-seed': { type: 'string' },
  'dry-run': { type: 'boolean' },
  optimizers: { type: 'string' },
  schedules: { type: 'string' },
  augments: { type: 'string' },
  models: { type: 'string' },
  archs: { type: 'string' },
  dataset: { type: 'string' },
  folder: { type: 'string' },
  size: { type: 'string' },
  color: { type: 'string' },
  'test-split': { type: 'string' },
  'with-runs': { type: 'boolean' },
  queue: { type: 'boolean' },
  concurrency: { type: 'string' },
  'lease-seconds': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' }
} as const

export type Flags = { [K in keyof typeof FLAG_SPECS]?: (typeof FLAG_SPECS)[K]['type'] extends 'boolean' ? boolean : string }

export interface ParsedArgs {
  command: string | undefined
  positionals: string[]
  flags: Flags
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: FLAG_SPECS, allowPositionals: true, strict: true })
    return { command: positionals[0], positionals: positionals.slice(1), flags: values as Flags }
  } catch (error) {
    const message = (error as Error).message
    const ambiguous = /Option '(--[\w-]+)' argument is ambiguous/.exec(message)
    if (ambiguous) throw new UsageError(`${ambiguous[1]} needs a value; write ${ambiguous[1]}=VALUE for a value starting with "-"`)
    // node:util's messages name the flag; keep only the first sentence.
    throw new UsageError(message.split('. ')[0].replace(/^Unknown option/, 'unknown option'))
  }
}

/** A number flag: must be a finite decimal number (and an integer when `integer`). */
export function numberFlag(flag: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got "${value}"`)
  if (integer && !Number.isInteger(n)) throw new UsageError(`--${flag} must be a whole number, got "${value}"`)
  return n
}

/** A positional run id. */
export function runIdArg(value: string | undefined, command: string): number {
  if (value === undefined) throw new UsageError(`${command} needs a run id, e.g. "${command} 12" (see "list")`)
  const id = Number(value)
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`run id must be a positive whole number, got "${value}"`)
  return id
}

/** A comma-separated list of numbers, e.g. `--batch-size 32,64`. */
export function numberListFlag(flag: string, value: string | undefined, integer: boolean): number[] | undefined {
  if (value === undefined) return undefined
  return value.split(',').map((part) => numberFlag(flag, part.trim(), integer)!)
}
