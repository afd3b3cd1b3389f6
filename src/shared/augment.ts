/**
 * On-the-fly augmentation of the training images, part of a run's recipe: random shift (pad and crop),
 * horizontal flip and random erasing. Runs recorded before augmentation existed have none and parse to
 * {@link DEFAULT_AUGMENT}, which leaves every batch untouched.
 */
import { z } from 'zod'
import { MAX_IMPORT_SIDE, type ImageShape } from './dataset'

/** The largest shift any dataset allows: a quarter of the largest image side. */
export const MAX_SHIFT = MAX_IMPORT_SIDE / 4

export const augmentSchema = z
  .object({
    /** Pad by this many pixels (zeros) and crop back at a random offset: a shift of up to ±shift px each way (0 = off, at most a quarter of the image side). */
    shift: z
      .number()
      .int('must be a whole number of pixels')
      .min(0, 'must be at least 0')
      .max(MAX_SHIFT, `must be at most ${MAX_SHIFT}`)
      .default(0),
    /** Mirror each image left–right with probability ½ (wrong for digits and text, whose mirror image is another glyph). */
    flip: z.boolean().default(false),
    /** Random erasing: with this probability (0–1), a random rectangle (2–25 % of the image, aspect 0.3–3.3) is filled with noise. */
    erase: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1').default(0)
  })
  .strict()

export type Augment = z.infer<typeof augmentSchema>

/** No augmentation: what every run did before augmentation existed. */
export const DEFAULT_AUGMENT: Augment = { shift: 0, flip: false, erase: 0 }

/** True when the augmentation changes nothing (the batch is left untouched). */
export const augmentIsOff = (a: Augment): boolean => a.shift === 0 && !a.flip && a.erase === 0

/** The largest shift for images of `shape`: a quarter of the shorter side, rounded down. */
export const maxShiftFor = (shape: Pick<ImageShape, 'height' | 'width'>): number => Math.floor(Math.min(shape.height, shape.width) / 4)

/** Why the augmentation does not suit images of `shape` (a shift over a quarter of the side), or null. */
export function augmentMisfit(a: Augment, shape: Pick<ImageShape, 'height' | 'width'>): string | null {
  const max = maxShiftFor(shape)
  if (a.shift <= max) return null
  return `a shift of ${a.shift} px is more than a quarter of the ${shape.height}×${shape.width} images; choose at most ${max}`
}

/** One phrase for people: `shift 3 px, flip, erase 0.25` (`none` when off). */
export function describeAugment(a: Augment): string {
  const parts: string[] = []
  if (a.shift > 0) parts.push(`shift ${a.shift} px`)
  if (a.flip) parts.push('flip')
  if (a.erase > 0) parts.push(`erase ${a.erase}`)
  return parts.length ? parts.join(', ') : 'none'
}
