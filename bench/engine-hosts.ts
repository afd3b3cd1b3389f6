/**
 * The parent's side of bench/engine-protocol.ts: starts one persistent engine process (TensorFlow.js child
 * over IPC, or `pytorch_bench.py --serve` over stdin/stdout lines), asks it one command at a time, and
 * makes sure it is gone afterwards: every answer has a deadline, and a process that misses it is killed.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { EngineCommand, EngineFinish, EngineReady, EngineReply, RoundResult, StartCommand } from './engine-protocol'

/** A started engine, warmed up and waiting for rounds. */
export interface EngineHost {
  /** `pytorch`, or the TensorFlow.js backend that loaded. */
  readonly name: string
  readonly ready: EngineReady
  /** Times one round of `images` images. */
  round(images: number): Promise<RoundResult>
  /** Asks for the peak RSS, then waits for the exit (killing the process if it lingers). */
  finish(): Promise<EngineFinish>
  /** Kills the process at once; safe to call after it exited. */
  kill(): void
}

/** How long an engine may take to answer: start loads 60,000 images and warms up, rounds are short. */
export interface EngineDeadlines {
  startMs: number
  roundMs: number
}

export const DEFAULT_DEADLINES: EngineDeadlines = { startMs: 300_000, roundMs: 300_000 }

interface Transport {
  child: ChildProcess
  send(cmd: EngineCommand): void
  /** Calls back with every reply the engine sends. */
  onReply(listener: (reply: EngineReply) => void): void
}

/** One question at a time: the protocol never has two commands in flight. */
async function host(label: string, transport: Transport, start: StartCommand, deadlines: EngineDeadlines): Promise<EngineHost> {
  const { child } = transport
  let stderr = ''
  let gone: Error | null = null
  let pending: { resolve: (r: EngineReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null
  const settle = (outcome: { reply: EngineReply } | { error: Error }): void => {
    const p = pending
    if (!p) return
    pending = null
    clearTimeout(p.timer)
    if ('error' in outcome) p.reject(outcome.error)
    else if (outcome.reply.kind === 'error') p.reject(new Error(`${label}: ${outcome.reply.message}`))
    else p.resolve(outcome.reply)
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  child.on('error', (error) => settle({ error }))
  child.on('exit', (code, signal) => {
    gone = new Error(`${label} exited (${signal ?? `code ${code}`}): ${stderr.trim().slice(-2000) || 'no stderr'}`)
    settle({ error: gone })
  })
  transport.onReply((reply) => settle({ reply }))

  const ask = <K extends EngineReply['kind']>(cmd: EngineCommand, kind: K, ms: number): Promise<Extract<EngineReply, { kind: K }>> =>
    new Promise<EngineReply>((resolve, reject) => {
      if (gone) return reject(gone)
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        settle({ error: new Error(`${label} did not answer '${cmd.cmd}' within ${ms / 1000} s; killed it`) })
      }, ms)
      pending = { resolve, reject, timer }
      transport.send(cmd)
    }).then((reply) => {
      if (reply.kind !== kind) throw new Error(`${label} answered '${reply.kind}' to '${cmd.cmd}'`)
      return reply as Extract<EngineReply, { kind: K }>
    })

  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  try {
    const ready = await ask(start, 'ready', deadlines.startMs)
    return {
      name: ready.backend,
      ready,
      round: (images) => ask({ cmd: 'round', images }, 'round', deadlines.roundMs),
      finish: async () => {
        const finish = await ask({ cmd: 'quit' }, 'finish', deadlines.roundMs)
        const timer = setTimeout(kill, 10_000)
        await exited
        clearTimeout(timer)
        return finish
      },
      kill
    }
  } catch (err) {
    kill()
    throw err
  }
}

/** Forks bench/train-child.ts and warms it up on `start.backend`. */
export function startTfjsEngine(start: StartCommand, deadlines = DEFAULT_DEADLINES): Promise<EngineHost> {
  const file = fileURLToPath(new URL('./train-child.ts', import.meta.url))
  const child = fork(file, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  return host(
    `TensorFlow.js (${start.backend}) child`,
    {
      child,
      send: (cmd) => child.send(cmd),
      onReply: (listener) => child.on('message', (msg) => listener(msg as EngineReply))
    },
    start,
    deadlines
  )
}

/** Options of the PyTorch engine process. */
export interface TorchEngineOptions {
  python: string
  threads: number
  /** The process's environment (default: this one's). */
  env?: NodeJS.ProcessEnv
  deadlines?: EngineDeadlines
}

/** Spawns `pytorch_bench.py --serve` and warms it up. */
export function startTorchEngine(start: StartCommand, options: TorchEngineOptions): Promise<EngineHost> {
  const script = fileURLToPath(new URL('./pytorch_bench.py', import.meta.url))
  const child = spawn(options.python, [script, '--serve', '--threads', String(options.threads)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env ?? process.env
  })
  // Writing to an engine that died fails with EPIPE; its exit is reported with its stderr instead.
  child.stdin?.on('error', () => {})
  return host(
    'PyTorch engine',
    {
      child,
      send: (cmd) => child.stdin?.write(`${JSON.stringify(cmd)}\n`),
      onReply: (listener) =>
        createInterface({ input: child.stdout! }).on('line', (line) => {
          // Anything that is not one of our JSON replies (a library printing to stdout) is not an answer.
          if (!line.startsWith('{')) return
          try {
            listener(JSON.parse(line) as EngineReply)
          } catch {
            listener({ kind: 'error', message: `unreadable reply: ${line.slice(0, 200)}` })
          }
        })
    },
    start,
    options.deadlines ?? DEFAULT_DEADLINES
  )
}
