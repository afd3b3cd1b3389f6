/** The sweep form's multiple choices: which optimizers, schedules, augmentations and presets to sweep over. */
import type { Augment } from '@shared/augment'
import { describeAugment, DEFAULT_AUGMENT } from '@shared/augment'

/** Augmentation settings offered as ticks (any other setting is a CLI `--augments` away). */
export const AUGMENT_CHOICES: readonly Augment[] = [
  DEFAULT_AUGMENT,
  { shift: 2, flip: false, erase: 0 },
  { shift: 0, flip: true, erase: 0 },
  { shift: 2, flip: true, erase: 0 },
  { shift: 2, flip: true, erase: 0.5 }
]

/** A tick's value and label for each augmentation choice (`none`, `shift 2 px, flip`, …). */
export const augmentOptions = AUGMENT_CHOICES.map((a) => ({ value: describeAugment(a), label: describeAugment(a), augment: a }))

/**
 * The spec's list for the ticked values, in the order offered, or undefined when only the default is
 * ticked: the sweep then does not vary it and is stored as sweeps were before these lists existed.
 * Nothing ticked stays an empty list, which the schema refuses under the field.
 */
export function sweptList<T>(
  ticked: readonly string[],
  options: readonly { value: string; item: T }[],
  byDefault: string
): T[] | undefined {
  if (ticked.length === 1 && ticked[0] === byDefault) return undefined
  return options.filter((o) => ticked.includes(o.value)).map((o) => o.item)
}
