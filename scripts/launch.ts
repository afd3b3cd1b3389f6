/**
 * `npm start`, `npm run dev` and `npm run dist`: make sure the Electron binary is there, then hand over to
 * electron-vite (and electron-builder). Without the binary, `start` serves the workbench in the browser
 * instead; `dev` and `dist` cannot do without it and stop with the explanation.
 */
import { spawn } from 'node:child_process'
import { downloadFailedParagraph, electronPackage, ensureElectronBinary } from './electron-binary'

type Command = 'start' | 'dev' | 'dist'

const STEPS: Record<Command, string[][]> = {
  start: [['electron-vite', 'preview']],
  dev: [['electron-vite', 'dev']],
  dist: [['electron-vite', 'build'], ['electron-builder']]
}

/** Runs one command with the terminal attached; resolves with its exit code. */
function run(argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    const [command, ...args] = argv as [string, ...string[]]
    const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' })
    child.on('error', (error) => {
      console.error(`${command} could not start: ${error.message}`)
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
  const command = process.argv[2] as Command | undefined
  const extra = process.argv.slice(3)
  if (!command || !(command in STEPS)) {
    console.error('usage: tsx scripts/launch.ts start|dev|dist [args for electron-vite or electron-builder]')
    return 2
  }
  const pkg = electronPackage()
  const ensured = await ensureElectronBinary(pkg)
  if (!ensured.ok) {
    const fallback = command === 'start' ? 'browser' : 'none'
    console.error('\n' + downloadFailedParagraph({ version: pkg.version, cause: ensured.cause, fallback }) + '\n')
    // The browser shell: the same workbench, served on this machine; `npm start -- --port 8080` reaches it unchanged.
    return fallback === 'browser' ? run(['tsx', 'src/main/cli.ts', 'serve', ...extra]) : 1
  }
  const steps = STEPS[command]
  for (const [i, step] of steps.entries()) {
    const code = await run(i === steps.length - 1 ? [...step, ...extra] : step)
    if (code !== 0) return code
  }
  return 0
}


process.exitCode = await main()
