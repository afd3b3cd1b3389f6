/** Runs async work over a list with a bounded number in flight, handing results on in list order. */

export interface OrderedOptions<T, R> {
  items: readonly T[]
  /** Most items in flight at once. */
  concurrency: number
  /** The work for one item; must not reject (return failures as values). */
  work: (item: T) => Promise<R>
  /** Receives each result in list order; the next result is awaited only after it returns. */
  take: (result: R, item: T, index: number) => void | Promise<void>
  /** Checked before each result is taken; an abort stops the loop with `onAbort()`'s error. */
  signal?: AbortSignal
  onAbort?: () => Error
}

/**
 * Keeps up to `concurrency` items in flight so decoding overlaps (sharp works on libuv's thread pool)
 * while memory stays bounded to that many files; results are taken in order so output is deterministic.
 */
export async function forEachOrdered<T, R>(options: OrderedOptions<T, R>): Promise<void> {
  const { items, concurrency, work, take, signal } = options
  const inFlight: Promise<R>[] = []
  let next = 0
  for (let i = 0; i < items.length; i++) {
    while (next < items.length && next < i + concurrency) inFlight.push(work(items[next++]))
    const result = await inFlight.shift()!
    if (signal?.aborted) throw options.onAbort?.() ?? new Error('aborted')
    await take(result, items[i], i)
  }
}
