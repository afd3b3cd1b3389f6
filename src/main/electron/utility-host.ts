/** Trainer processes as Electron utility processes: the app's implementation of TrainerHost. */
import { app, utilityProcess, type UtilityProcess } from 'electron'
import type { TrainerEvent, TrainerRequest } from '@shared/trainer-protocol'
import type { TrainerExit, TrainerHost } from '../core/core'

/** How to start trainer utility processes. */
export interface UtilityTrainerOptions {
  /** Absolute path of the built trainer entry (out/main/trainer.js). */
  modulePath: string
  /** Receives the trainer's stdout/stderr lines, prefixed with the process name. */
  log?: (line: string) => void
}

let spawned = 0

/** Why a utility process went away, as Electron reports it through `child-process-gone`. */
const goneReasons = new Map<string, string>()
app.on('child-process-gone', (_event, details) => {
  if (details.type === 'Utility' && details.name) goneReasons.set(details.name, details.reason)
})

function describeExit(code: number | null, killed: boolean, gone: string | undefined): string {
  if (killed) return 'was stopped by Atelier'
  if (gone && gone !== 'clean-exit') return `crashed (${gone})${code !== null ? `, exit code ${code}` : ''}`
  return `exited with code ${code}`
}

/** Returns a SpawnTrainer that starts each trainer in its own utility process. */
export function utilityTrainerSpawner(options: UtilityTrainerOptions): () => TrainerHost {
  const log = options.log ?? ((line: string) => console.log(line))
  return () => {
    // A unique name per process lets crash reports be matched to the run they belong to.
    const serviceName = `atelier-trainer-${++spawned}`
    const child: UtilityProcess = utilityProcess.fork(options.modulePath, [], { serviceName, stdio: 'pipe' })
    let started = false
    let exited = false
    let killed = false
    // Messages posted before the process is up are held, so a `start` sent at once is not lost.
    const pending: TrainerRequest[] = []
    child.once('spawn', () => {
      started = true
      for (const request of pending.splice(0)) child.postMessage(request)
    })
    const pipe = (stream: NodeJS.ReadableStream | null, kind: string): void => {
      stream?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) if (line.trim()) log(`[${serviceName} ${kind}] ${line}`)
      })
    }
    pipe(child.stdout, 'out')
    pipe(child.stderr, 'err')
    child.once('exit', () => {
      exited = true
    })
    return {
      get pid() {
        return child.pid
      },
      send(request) {
        if (exited) return
        if (started) child.postMessage(request)
        else pending.push(request)
      },
      onMessage(listener) {
        child.on('message', (message: unknown) => listener(message as TrainerEvent))
      },
      onExit(listener) {
        child.once('exit', (code: number) => {
          // `child-process-gone` may arrive just after `exit`; one turn later its reason is known.
          setImmediate(() => {
            const gone = goneReasons.get(serviceName)
            goneReasons.delete(serviceName)
            const exit: TrainerExit = { code, reason: describeExit(code, killed, gone) }
            listener(exit)
          })
        })
      },
      kill() {
        if (exited) return
        killed = true
        child.kill()
      }
    }
  }
}
