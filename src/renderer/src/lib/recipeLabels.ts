/** How the renderer names optimizers and schedules, in New run and in the sweep form alike. */
import type { OptimizerName, ScheduleName } from '@shared/recipe'

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  adam: 'Adam (default)',
  adamw: 'AdamW (decoupled weight decay)',
  sgd: 'SGD with momentum',
  rmsprop: 'RMSprop'
}

export const SCHEDULE_LABELS: Record<ScheduleName, string> = {
  constant: 'Constant (default)',
  step: 'Step (×0.1 at ½ and ¾)',
  cosine: 'Cosine',
  onecycle: 'One-cycle'
}
