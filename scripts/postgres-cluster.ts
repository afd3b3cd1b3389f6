/**
 * A throwaway PostgreSQL cluster made with the machine's own `initdb` in a temporary folder,
 * started on a free loopback port with password authentication and removed when stopped: the
 * `postgres` test project's server (test/postgres/global-setup.ts) and `npm run bench:team`'s.
 *
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user
 * (Debian's package creates it).
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The role and password of the throwaway cluster; the password is in the URL its users get. */
const ROLE = 'atelier_test'
const PASSWORD = 'test-secret-6c1f'

/** A started cluster: its admin URL (a role that may create databases) and how to remove it. */
export interface Cluster {
  url: string
  /** Stops the server at once (no checkpoint: nothing in it is kept) and deletes its folder. */
  stop: () => void
}

/** The folder holding `initdb` and `pg_ctl`: the PATH first, then Debian's versioned folders (newest first). */
export function findPostgresBin(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir
  }
  const debian = '/usr/lib/postgresql'
  if (!existsSync(debian)) return null
  const versions = readdirSync(debian)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
  for (const v of versions) {
    const dir = join(debian, v, 'bin')
    if (existsSync(join(dir, 'initdb'))) return dir
  }
  return null
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Runs a PostgreSQL program as the `postgres` user when we are root (the server refuses root), else as ourselves. */
export function runAs(asRoot: boolean, program: string, args: string[]): void {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args]
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Creates and starts a cluster with the programs in `bin` (see {@link findPostgresBin}). */
export async function startCluster(bin: string): Promise<Cluster> {
  const asRoot = process.getuid?.() === 0
  const root = mkdtempSync(join(tmpdir(), 'atelier-pg-'))
  const data = join(root, 'data')
  const pwfile = join(root, 'pw')
  writeFileSync(pwfile, `${PASSWORD}\n`)
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(root, uid, gid)
    chownSync(pwfile, uid, gid)
  }
  chmodSync(root, 0o700)
  const port = await freePort()
  try {
    runAs(asRoot, join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      ROLE,
      '--pwfile',
      pwfile,
      '--auth',
      'scram-sha-256',
      '--encoding',
      'UTF8',
      '--no-sync'
    ])
    // Durability is not what its users check; fsync off keeps a test run fast.
    const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`
    runAs(asRoot, join(bin, 'pg_ctl'), ['-D', data, '-l', join(root, 'server.log'), '-w', '-o', options, 'start'])
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? ''
    rmSync(root, { recursive: true, force: true })
    throw new Error(`Could not start a test PostgreSQL with ${bin}: ${stderr || String(error)}`)
  }
  const stop = (): void => {
    try {
      runAs(asRoot, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }
  return { url: `postgres://${ROLE}:${PASSWORD}@127.0.0.1:${port}/postgres`, stop }
}
