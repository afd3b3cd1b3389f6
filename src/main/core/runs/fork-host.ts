/** Trainer processes started with child_process.fork, for the CLI, the tests and the harness. */
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { TrainerEvent } from '@shared/trainer-protocol'
import type { TrainerExit, TrainerHost } from './trainer-host'

const here = fileURLToPath(new URL('.', import.meta.url))

/** The entry to fork: a given built file, a built trainer.js beside this file, or the TypeScript source through tsx. */
function trainerEntry(entry?: string): { file: string; execArgv: string[] } {
  if (entry) return { file: entry, execArgv: [] }
  const built = `${here}trainer.js`
  if (existsSync(built)) return { file: built, execArgv: [] }
  const source = fileURLToPath(new URL('../trainer/entry.ts', import.meta.url))
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  return { file: source, execArgv: ['--import', tsx] }
}

export interface ForkTrainerOptions {
  /** A built trainer entry (e.g. out/main/trainer.js) to run instead of the source. */
  entry?: string
}

/** Forks one trainer process. Messages use the structured-clone serialisation, so typed arrays pass intact. */
export function forkTrainer(options: ForkTrainerOptions = {}): TrainerHost {
  const { file, execArgv } = trainerEntry(options.entry)
  const child = fork(file, [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../../../tsconfig.json', import.meta.url)) }
  })
  let stderrTail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep the end of stderr to explain a crash; tfjs prints harmless notices there too.
    stderrTail = (stderrTail + chunk.toString()).slice(-2000)
  })
  return {
    pid: child.pid,
    send: (request) => {
      if (child.connected) child.send(request)
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as TrainerEvent)),
    onExit: (listener) =>
      child.on('exit', (code, signal) => {
        const lastLine = stderrTail
          .trim()
          .split('\n')
          .filter((l) => /error/i.test(l))
          .pop()
        const reason: TrainerExit['reason'] =
          signal !== null ? `was killed by ${signal}` : `exited with code ${code}${lastLine && code !== 0 ? ` (${lastLine.trim()})` : ''}`
        listener({ code, reason })
      }),
    kill: () => {
      child.kill('SIGKILL')
    }
  }
}
