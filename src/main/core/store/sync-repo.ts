/** The synchronous twin of an asynchronous repository interface: what the better-sqlite3 repositories implement. */
export type Sync<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K]
}
