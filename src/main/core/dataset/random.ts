/** Small seeded randomness for splits and per-epoch shuffling: the same seed gives the same order everywhere. */

/** A mulberry32 generator: returns numbers in [0, 1), fully determined by `seed` (taken as a 32-bit unsigned integer). */
export function createRng(seed: number): () => number {
  return createStatefulRng(seed).next
}

/** A mulberry32 generator whose 32-bit state can be read, so a checkpoint can continue its exact sequence. */
export interface StatefulRng {
  next: () => number
  /** The state to pass to {@link createStatefulRng} to continue from here. */
  state: () => number
}

/** The generator of {@link createRng}, starting at `state` (a seed, or a state read from another generator). */
export function createStatefulRng(state: number): StatefulRng {
  let s = state >>> 0
  return {
    next: () => {
      s = (s + 0x6d2b79f5) >>> 0
      let t = s
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    },
    state: () => s
  }
}

/** Fisher–Yates shuffle of an array or typed array in place; returns the same array. */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(array: A, rng: () => number): A {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const tmp = array[i]
    array[i] = array[j]
    array[j] = tmp
  }
  return array
}
