/** Fresh databases on the test PostgreSQL server (see global-setup.ts), one per test file or test. */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'

/** The server's admin URL, or null where PostgreSQL is missing (then {@link postgresMissing} says why). */
export const postgresUrl = inject('postgresUrl')
export const postgresMissing = inject('postgresMissing')

/** The admin URL with another database (or user and password) in it. */
export function urlWith(parts: { database?: string; user?: string; password?: string; search?: string }): string {
  const url = new URL(postgresUrl!)
  if (parts.database !== undefined) url.pathname = `/${parts.database}`
  if (parts.user !== undefined) url.username = parts.user
  if (parts.password !== undefined) url.password = parts.password
  if (parts.search !== undefined) url.search = parts.search
  return url.toString()
}

/** Runs `fn` with an admin client on the server's maintenance database. */
export async function asAdmin<T>(fn: (client: pg.Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const client = new pg.Client({ connectionString: urlWith({ database }) })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** An empty database made for one test; `drop()` removes it (connections still open are ended). */
export async function freshDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `atelier_t_${randomBytes(6).toString('hex')}`
  await asAdmin((c) => c.query(`CREATE DATABASE ${name}`))
  return {
    name,
    url: urlWith({ database: name }),
    drop: () => asAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined)
  }
}
