/**
 * A real PostgreSQL server for the `postgres` test project: a throwaway cluster
 * (scripts/postgres-cluster.ts) started before the tests and removed afterwards.
 * `ATELIER_TEST_PG_URL` (a role that may create databases) uses an existing server instead.
 *
 * Where no PostgreSQL is installed the tests skip and say why, except in CI, where they never skip:
 * the run fails with what to install.
 */
import type { TestProject } from 'vitest/node'
import { findPostgresBin, startCluster } from '../../scripts/postgres-cluster'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test server (may create databases), or null with {@link postgresMissing} saying why. */
    postgresUrl: string | null
    postgresMissing: string
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.ATELIER_TEST_PG_URL
  if (given) {
    project.provide('postgresUrl', given)
    project.provide('postgresMissing', '')
    return undefined
  }
  const bin = findPostgresBin()
  if (!bin) {
    const why =
      'PostgreSQL is not installed (no initdb found on the PATH or in /usr/lib/postgresql/*/bin): ' +
      'install it (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) or set ATELIER_TEST_PG_URL.'
    if (process.env.CI) throw new Error(`Tests that need PostgreSQL never skip in CI. ${why}`)
    project.provide('postgresUrl', null)
    project.provide('postgresMissing', why)
    return undefined
  }
  const cluster = await startCluster(bin)
  project.provide('postgresUrl', cluster.url)
  project.provide('postgresMissing', '')
  return cluster.stop
}
