/**
 * A PostgreSQL store's rule that "other store calls wait until a transaction ends", which SQLite
 * gets from its single connection: calls run side by side on the pool, a transaction runs alone.
 */
const ignore = (): void => undefined

export class StoreGate {
  /** Settles when the latest transaction requested so far has ended. */
  #barrier: Promise<unknown> = Promise.resolve()
  readonly #inFlight = new Set<Promise<unknown>>()

  /** Runs `fn` once no transaction is running or waiting. */
  async shared<T>(fn: () => Promise<T>): Promise<T> {
    let barrier: Promise<unknown>
    do {
      barrier = this.#barrier
      await barrier
    } while (barrier !== this.#barrier)
    const call = fn()
    this.#inFlight.add(call)
    try {
      return await call
    } finally {
      this.#inFlight.delete(call)
    }
  }

  /** Runs `fn` after the calls already running end; calls made meanwhile wait for it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const before = this.#barrier
    const run = (async () => {
      await before
      await Promise.allSettled([...this.#inFlight])
      return fn()
    })()
    this.#barrier = run.then(ignore, ignore)
    return run
  }
}

/**
 * The same repositories (an object of objects of methods) with every method passed through
 * {@link StoreGate.shared}, and its errors through `translate` (a server error into a DbError for a person).
 */
export function gatedRepos<T extends object>(repos: T, gate: StoreGate, translate: (error: unknown) => unknown = (e) => e): T {
  const gated: Record<string, unknown> = {}
  for (const [name, repo] of Object.entries(repos) as Array<[string, Record<string, unknown>]>) {
    const methods: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(repo)) {
      methods[key] =
        typeof value === 'function'
          ? (...args: unknown[]) =>
              gate
                .shared(() => (value as (...a: unknown[]) => Promise<unknown>)(...args))
                .catch((error: unknown) => {
                  throw translate(error)
                })
          : value
    }
    gated[name] = methods
  }
  return gated as T
}
