/** How the main side talks to one trainer process, whatever started it. */
import type { TrainerEvent, TrainerRequest } from '@shared/trainer-protocol'

/** Why a trainer process ended. */
export interface TrainerExit {
  /** Exit code, or null when it was killed by a signal. */
  code: number | null
  /** A sentence for people: "exited with code 1", "killed by SIGKILL", "crashed (oom)". */
  reason: string
}

/** One trainer process: Electron utilityProcess in the app, child_process.fork in the CLI and tests. */
export interface TrainerHost {
  send(request: TrainerRequest): void
  onMessage(listener: (event: TrainerEvent) => void): void
  onExit(listener: (exit: TrainerExit) => void): void
  /** Ends the process at once. */
  kill(): void
  /** OS process id, when known. */
  readonly pid: number | undefined
}

/** Starts a fresh trainer process. */
export type SpawnTrainer = () => TrainerHost
