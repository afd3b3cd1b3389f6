/** What `npm start`, `npm run dev` and `npm run dist` run, as argv lists without a shell (see node-bin.ts). */
import { nodeCommand } from './node-bin'

export type LaunchCommand = 'start' | 'dev' | 'dist'

export const LAUNCH_COMMANDS: readonly LaunchCommand[] = ['start', 'dev', 'dist']

/** The steps of `command`, in order; `extra` (what follows `--`) goes to the last step, unchanged. */
export function launchSteps(command: LaunchCommand, extra: string[] = []): string[][] {
  const steps: Record<LaunchCommand, string[][]> = {
    start: [nodeCommand('electron-vite', ['preview'])],
    dev: [nodeCommand('electron-vite', ['dev'])],
    dist: [nodeCommand('electron-vite', ['build']), nodeCommand('electron-builder')]
  }
  const list = steps[command]
  return list.map((step, i) => (i === list.length - 1 ? [...step, ...extra] : step))
}

/** Without the Electron binary `npm start` serves the same workbench in the browser; `extra` (e.g. `--port 8080`) reaches it. */
export function browserFallback(extra: string[] = []): string[] {
  return nodeCommand('tsx', ['src/main/cli/cli.ts', 'serve', ...extra])
}
