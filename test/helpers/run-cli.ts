/** Runs the real CLI in a child process (Node 24 + tsx), as `npm run cli --` does. */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '../..')
// The tsx loader in this process (not the tsx CLI, which adds a process between us and the CLI).
const tsxLoader = pathToFileURL(resolve(root, 'node_modules/tsx/dist/loader.mjs')).href

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface CliProcess {
  child: ChildProcess
  result: Promise<CliResult>
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', tsxLoader, 'src/main/cli/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const result = new Promise<CliResult>((done) => child.on('close', (code) => done({ code, stdout, stderr })))
  return { child, result }
}

export const runCli = (args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> => startCli(args, env).result

/** `pgrep -P pid`; pgrep exits with 1 when nothing matches, which is an answer, not a failure. */
function pgrepChildren(pid: number): string {
  const result = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
  if (result.status !== 0 && result.status !== 1) throw new Error(`pgrep -P ${pid} failed: ${result.error?.message ?? result.stderr}`)
  return result.stdout
}

/**
 * Pids of the processes whose parent is `pid`: `pgrep -P` on Linux and macOS, a CIM query on Windows
 * (which has no pgrep; only node.exe children, not the conhost.exe a console process may get).
 */
export function childPids(pid: number): number[] {
  const out =
    process.platform === 'win32'
      ? execFileSync('powershell.exe', [
          '-NoProfile',
          '-NonInteractive',
          '-Command',
          `Get-CimInstance Win32_Process -Filter "ParentProcessId=${pid} AND Name='node.exe'" | ForEach-Object { $_.ProcessId }`
        ])
      : pgrepChildren(pid)
  return out
    .toString()
    .split(/\r?\n/)
    .map((line) => Number(line.trim()))
    .filter((n) => Number.isInteger(n) && n > 0)
}

/** Waits until the CLI's live display shows the end of `epoch 1/<epochs>`, then returns its trainer's pid. */
export function trainerAfterFirstEpoch(cli: CliProcess, epochs: number): Promise<number> {
  let stderr = ''
  const done = new RegExp(`epoch 1/${epochs}  loss`)
  return new Promise((resolve) =>
    cli.child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (done.test(stderr)) {
        stderr = ''
        resolve(childPids(cli.child.pid!)[0]!)
      }
    })
  )
}
