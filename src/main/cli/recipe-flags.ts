/** `train`'s recipe flags: optimizer, momentum, weight decay, schedule, warmup, label smoothing and augmentation. */
import { OPTIMIZERS, SCHEDULES, type Recipe } from '@shared/recipe'
import { DEFAULT_AUGMENT, type Augment } from '@shared/augment'
import { numberFlag, UsageError, type Flags } from './args'

/** The flag that sets each recipe field, for error lines. */
export const RECIPE_FLAGS: Record<string, string> = {
  'recipe.optimizer': '--optimizer',
  'recipe.momentum': '--momentum',
  'recipe.nesterov': '--nesterov',
  'recipe.weightDecay': '--weight-decay',
  'recipe.schedule': '--schedule',
  'recipe.warmupEpochs': '--warmup-epochs',
  'recipe.labelSmoothing': '--label-smoothing',
  'recipe.augment': '--augment',
  'recipe.augment.shift': '--augment shift',
  'recipe.augment.flip': '--augment flip',
  'recipe.augment.erase': '--augment erase'
}

/** What a bare `shift` or `erase` in `--augment` means: 2 px, and erasing half the images (Zhong et al.'s p). */
export const AUGMENT_FLAG_DEFAULTS = { shift: 2, erase: 0.5 } as const

const AUGMENT_USAGE = 'give a comma-separated list of shift[=PX], flip and erase[=P], or none'

/**
 * `--augment shift,flip,erase`, with values `shift=3,erase=0.25`, or `none`. Ranges are checked by the
 * hyperparameter schema afterwards (and the shift against the dataset's images when the run starts).
 * `flag` names the flag in errors (`sweep --augments` takes several such settings).
 */
export function augmentFromFlag(value: string | undefined, flag = '--augment'): Augment | undefined {
  if (value === undefined) return undefined
  const items = value.split(',').map((item) => item.trim())
  if (items.length === 1 && items[0] === 'none') return { ...DEFAULT_AUGMENT }
  const augment: Augment = { ...DEFAULT_AUGMENT }
  const seen = new Set<string>()
  for (const item of items) {
    const [name, raw, ...rest] = item.split('=')
    if (!['shift', 'flip', 'erase'].includes(name) || rest.length > 0) {
      const why = name === 'none' ? '"none" stands alone' : `unknown item "${item}"`
      throw new UsageError(`${flag}: ${why}; ${AUGMENT_USAGE}`)
    }
    if (seen.has(name)) throw new UsageError(`${flag}: ${name} is given twice; ${AUGMENT_USAGE}`)
    seen.add(name)
    if (name === 'flip') {
      if (raw !== undefined)
        throw new UsageError(`${flag}: flip takes no value (mirror half the images, or leave it out); ${AUGMENT_USAGE}`)
      augment.flip = true
    } else {
      const n = raw === undefined ? AUGMENT_FLAG_DEFAULTS[name as 'shift' | 'erase'] : Number(raw)
      if (raw !== undefined && (raw.trim() === '' || !Number.isFinite(n))) {
        throw new UsageError(`${flag}: ${name} must be a number, got "${raw}"`)
      }
      augment[name as 'shift' | 'erase'] = n
    }
  }
  return augment
}

function choice<T extends string>(flag: string, value: string | undefined, options: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(options as readonly string[]).includes(value))
    throw new UsageError(`--${flag} must be one of ${options.join(', ')}, got "${value}"`)
  return value as T
}

/**
 * The recipe fields the flags set (absent flags leave the defaults); ranges are checked by the
 * hyperparameter schema afterwards. Momentum without an optimizer that uses it is refused, so a typo'd
 * recipe never trains as something else.
 */
export function recipeFromFlags(flags: Flags): Partial<Recipe> {
  const recipe: Partial<Recipe> = {}
  const optimizer = choice('optimizer', flags.optimizer, OPTIMIZERS)
  const schedule = choice('schedule', flags.schedule, SCHEDULES)
  const momentum = numberFlag('momentum', flags.momentum, false)
  const weightDecay = numberFlag('weight-decay', flags['weight-decay'], false)
  const warmupEpochs = numberFlag('warmup-epochs', flags['warmup-epochs'], true)
  const labelSmoothing = numberFlag('label-smoothing', flags['label-smoothing'], false)
  const augment = augmentFromFlag(flags.augment)
  const uses = optimizer ?? 'adam'
  if (momentum !== undefined && uses !== 'sgd' && uses !== 'rmsprop') {
    throw new UsageError(`--momentum applies to --optimizer sgd or rmsprop, not ${uses} (Adam's own β₁ is fixed at 0.9)`)
  }
  if (flags.nesterov && uses !== 'sgd') throw new UsageError(`--nesterov applies to --optimizer sgd, not ${uses}`)
  if (optimizer !== undefined) recipe.optimizer = optimizer
  if (schedule !== undefined) recipe.schedule = schedule
  if (momentum !== undefined) recipe.momentum = momentum
  if (flags.nesterov) recipe.nesterov = true
  if (weightDecay !== undefined) recipe.weightDecay = weightDecay
  if (warmupEpochs !== undefined) recipe.warmupEpochs = warmupEpochs
  if (labelSmoothing !== undefined) recipe.labelSmoothing = labelSmoothing
  if (augment !== undefined) recipe.augment = augment
  return recipe
}
