/**
 * `npm start`, `npm run dev` and `npm run dist`: make sure the Electron binary is there, then hand over to
 * electron-vite (and electron-builder). Without the binary, `start` serves the workbench in the browser
 * instead; `dev` and `dist` cannot do without it and stop with the explanation.
 */
import { spawn } from 'node:child_process'
import { downloadFailedParagraph, electronPackage, ensureElectronBinary } from './electron-binary'
import { browserFallback, LAUNCH_COMMANDS, launchSteps, type LaunchCommand } from './launch-steps'

/** Runs one command with the terminal attached; resolves with its exit code. */
function run(argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    // argv[0] is this Node and argv[1] a package's JavaScript entry: no shell, on Windows too.
    const [command, ...args] = argv as [string, ...string[]]
    const child = spawn(command, args, { stdio: 'inherit' })
    child.on('error', (error) => {
      console.error(`${args[0] ?? command} could not start: ${error.message}`)
      resolve(1)
    })
    // Ctrl-C reaches the child through the terminal's process group; this process waits for it to stop
    // cleanly (the browser shell cancels training runs first) instead of returning the prompt early.
    const ignore = (): void => undefined
    const forward = (): void => void child.kill('SIGTERM')
    process.on('SIGINT', ignore)
    process.on('SIGTERM', forward)
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore)
      process.off('SIGTERM', forward)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

async function main(): Promise<number> {
  const command = process.argv[2] as LaunchCommand | undefined
  const extra = process.argv.slice(3)
  if (!command || !LAUNCH_COMMANDS.includes(command)) {
    console.error('usage: tsx scripts/launch.ts start|dev|dist [args for electron-vite or electron-builder]')
    return 2
  }
  const pkg = electronPackage()
  const ensured = await ensureElectronBinary(pkg)
  if (!ensured.ok) {
    const fallback = command === 'start' ? 'browser' : 'none'
    console.error('\n' + downloadFailedParagraph({ version: pkg.version, cause: ensured.cause, fallback }) + '\n')
    // The browser shell: the same workbench, served on this machine; `npm start -- --port 8080` reaches it unchanged.
    return fallback === 'browser' ? run(browserFallback(extra)) : 1
  }
  for (const step of launchSteps(command, extra)) {
    const code = await run(step)
    if (code !== 0) return code
  }
  return 0
}

process.exitCode = await main()
