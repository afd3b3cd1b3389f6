/** Seeded, class-stratified train/validation split of the training images. */
import { createRng, shuffleInPlace } from './random'

export interface SplitOptions {
  /** Share of the (subset) pool held out for validation, in [0, 1); each class gives this share. */
  validationFraction: number
  /** Same seed, same labels → same split, in the same order. */
  seed: number
  /**
   * Use only this many images in total (train + validation), drawn stratified by class before
   * the validation split; null or absent for all. E.g. 10,000 at fraction 0.1 → 9,000 train + 1,000 validation.
   */
  subset?: number | null
}

/** Indices into the labels array, each list shuffled. */
export interface StratifiedSplit {
  train: Uint32Array
  validation: Uint32Array
}

/** Splits `total` across groups proportionally to `sizes` (largest remainder, ties to the lower index); sums to `total`. */
function allocate(sizes: number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0)
  if (sum === 0) return sizes.map(() => 0)
  const exact = sizes.map((s) => (s * total) / sum)
  const shares = exact.map(Math.floor)
  let left = total - shares.reduce((a, b) => a + b, 0)
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i)
  for (const { i } of byRemainder) {
    if (left === 0) break
    if (shares[i] < sizes[i]) {
      shares[i]++
      left--
    }
  }
  return shares
}

/**
 * Stratified split: every class contributes its share to the validation set (and to the subset,
 * when one is asked for). Throws RangeError on a fraction outside [0, 1) or a non-positive subset.
 */
export function stratifiedSplit(labels: Uint8Array, options: SplitOptions): StratifiedSplit {
  const { validationFraction, seed } = options
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new RangeError(`validationFraction must be in [0, 1), got ${validationFraction}`)
  }
  const subset = options.subset ?? null
  if (subset !== null && !(Number.isInteger(subset) && subset > 0)) {
    throw new RangeError(`subset must be a positive whole number or null, got ${subset}`)
  }
  const counts = new Array<number>(256).fill(0)
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++
  const byClass = counts.map((n) => new Uint32Array(n))
  const filled = new Array<number>(256).fill(0)
  for (let i = 0; i < labels.length; i++) byClass[labels[i]][filled[labels[i]]++] = i

  const rng = createRng(seed)
  for (const members of byClass) shuffleInPlace(members, rng)
  const pool = subset === null || subset >= labels.length ? counts : allocate(counts, subset)
  const poolTotal = pool.reduce((a, b) => a + b, 0)
  const held = allocate(pool, Math.round(poolTotal * validationFraction))

  const validationTotal = held.reduce((a, b) => a + b, 0)
  const train = new Uint32Array(poolTotal - validationTotal)
  const validation = new Uint32Array(validationTotal)
  let t = 0
  let v = 0
  byClass.forEach((members, c) => {
    validation.set(members.subarray(0, held[c]), v)
    v += held[c]
    train.set(members.subarray(held[c], pool[c]), t)
    t += pool[c] - held[c]
  })
  shuffleInPlace(train, rng)
  shuffleInPlace(validation, rng)
  return { train, validation }
}
