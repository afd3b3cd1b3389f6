/** The trainer's end of the message channel: Electron's parentPort or Node's IPC, one interface. */
import type { TrainerEvent, TrainerRequest } from '@shared/trainer-protocol'

export interface ParentPort {
  post(event: TrainerEvent): Promise<void>
  onMessage(listener: (request: TrainerRequest) => void): void
}

interface ElectronParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (e: { data: unknown }) => void): void
}

/** Connects to whichever parent started this process; throws when run standalone. */
export function connectToParent(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort
  if (electronPort) {
    return {
      post: async (event) => electronPort.postMessage(event),
      onMessage: (listener) => electronPort.on('message', (e) => listener(e.data as TrainerRequest))
    }
  }
  const send = process.send?.bind(process)
  if (send) {
    // The parent died (killed CLI, crashed app): nobody will read or store the results, so stop.
    process.on('disconnect', () => process.exit(2))
    return {
      post: (event) => new Promise((resolve) => send(event, undefined, undefined, () => resolve())),
      onMessage: (listener) => process.on('message', (m) => listener(m as TrainerRequest))
    }
  }
  throw new Error('The trainer runs as a child process of Atelier; start it through the app or the CLI.')
}
