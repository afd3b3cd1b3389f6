/** `train`'s recipe flags: optimizer, momentum, weight decay, schedule, warmup and label smoothing. */
import { OPTIMIZERS, SCHEDULES, type Recipe } from '@shared/recipe'
import { numberFlag, UsageError, type Flags } from './args'

/** The flag that sets each recipe field, for error lines. */
export const RECIPE_FLAGS: Record<string, string> = {
  'recipe.optimizer': '--optimizer',
  'recipe.momentum': '--momentum',
  'recipe.nesterov': '--nesterov',
  'recipe.weightDecay': '--weight-decay',
  'recipe.schedule': '--schedule',
  'recipe.warmupEpochs': '--warmup-epochs',
  'recipe.labelSmoothing': '--label-smoothing'
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
  return recipe
}
