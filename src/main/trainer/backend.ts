/** Picks and initialises the TensorFlow.js backend for a trainer process: tfjs-node → WASM (+ own kernels) → cpu. */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import os, { availableParallelism } from 'node:os'
import { Worker as NodeWorker } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import type { BackendChoice } from '@shared/trainer-protocol'
import type { BackendInfo } from '@shared/run'
import { registerWasmTrainingKernels } from './kernels'

// Not named `require`: electron-vite's ESM output declares its own `require` at the top of the bundle.
const requireHere = createRequire(import.meta.url)

/** Version of an installed package, or null when it cannot be resolved. */
function packageVersion(name: string): string | null {
  try {
    const main = requireHere.resolve(name)
    let dir = dirname(main)
    // Walk up from the package's entry file to its own package.json.
    for (let i = 0; i < 4; i++) {
      try {
        const pkg = requireHere(join(dir, 'package.json')) as { name?: string; version?: string }
        if (pkg.name === name && pkg.version) return pkg.version
      } catch {
        // not this folder; keep walking up
      }
      dir = dirname(dir)
    }
  } catch {
    return null
  }
  return null
}

function versions(backendPackage: string | null): Record<string, string> {
  const out: Record<string, string> = { tfjs: tf.version.tfjs }
  for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', backendPackage]) {
    if (!name) continue
    const v = packageVersion(name)
    if (v) out[name.replace('@tensorflow/', '')] = v
  }
  return out
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * Worker bootstrap for the WASM backend's pthreads. tfjs hands Emscripten a `blob:` worker script and a Blob
 * holding its main script; Node's Worker cannot start from a `blob:` URL, and the Blob's code expects the
 * bundler's renamed `require`s. This runs the package's own worker code and points its script import at the
 * package's shipped Emscripten main script instead of the Blob.
 */
const PTHREAD_BOOTSTRAP = String.raw`
URL.createObjectURL = () => __MAIN_JS__
URL.revokeObjectURL = () => {}
;(0, eval)(require(__WORKER_JS__).wasmWorkerContents.replace(/\n/g, "\\n"))
`

const pthreadWorkers = new Set<NodeWorker>()
let pthreadsDetached = false

/** Stops the WASM thread pool from holding the process open (called once the backend is ready). */
function detachPthreads(): void {
  pthreadsDetached = true
  for (const worker of pthreadWorkers) worker.unref()
}

/** Lets the WASM backend start its pthread pool under Node; returns the thread count to ask for (1 = off). */
function enableNodeWasmThreads(): number {
  const wanted = Math.min(availableParallelism(), 4)
  if (wanted < 2 || process.env.ATELIER_WASM_THREADS === '1') return 1
  const workerJs = requireHere.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js')
  const mainJs = requireHere.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js')
  const code = PTHREAD_BOOTSTRAP.replace('__WORKER_JS__', JSON.stringify(workerJs)).replace('__MAIN_JS__', JSON.stringify(mainJs))
  class PthreadWorker extends NodeWorker {
    constructor(url: string | URL) {
      if (String(url).startsWith('blob:')) super(code, { eval: true })
      else super(url)
      pthreadWorkers.add(this)
    }
    // Once the pool is up, its idle-but-alive threads must not keep a finished trainer process running.
    override ref(): void {
      if (!pthreadsDetached) super.ref()
    }
  }
  // Emscripten assigns Node's Worker to the global at start-up and then constructs `new Worker(url)`.
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PthreadWorker, set: () => {} })
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true)
  return wanted
}

async function tryTensorflow(): Promise<BackendInfo> {
  // tfjs-node is an optional dependency; a variable specifier keeps bundlers from resolving it at build time.
  const specifier = '@tensorflow/tfjs-node'
  await import(/* @vite-ignore */ specifier)
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node loaded but the tensorflow backend did not initialise')
  await tf.ready()
  return { name: 'tensorflow', threads: availableParallelism(), versions: versions('@tensorflow/tfjs-node') }
}

async function tryWasm(): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  // The .wasm binaries sit next to the package's Node entry file; resolving it works from source and from the bundle.
  const distDir = dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm'))
  wasm.setWasmPaths(distDir + '/')
  const threads = enableNodeWasmThreads()
  if (threads > 1) wasm.setThreadsCount(threads)
  registerWasmTrainingKernels()
  // The WASM module sizes its thread pool from os.cpus().length / 2 (it assumes hyper-threading) when it
  // starts, ignoring setThreadsCount; report doubled cores only while it starts so it uses every core.
  const realCpus = os.cpus
  if (threads > 1) os.cpus = () => [...realCpus(), ...realCpus()]
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise')
    await tf.ready()
  } finally {
    os.cpus = realCpus
  }
  detachPthreads()
  return { name: 'wasm', threads: wasm.getThreadsCount(), versions: versions('@tensorflow/tfjs-backend-wasm') }
}

async function tryCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise')
  await tf.ready()
  return { name: 'cpu', threads: 1, versions: versions('@tensorflow/tfjs-backend-cpu') }
}

const LOADERS: Record<Exclude<BackendChoice, 'auto'>, () => Promise<BackendInfo>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: tryCpu
}

/**
 * Initialises the chosen backend. `auto` walks tensorflow → wasm → cpu and takes the first that loads;
 * an explicit choice that cannot load throws, naming the backend and the cause.
 */
export async function initBackend(choice: BackendChoice): Promise<BackendInfo> {
  if (choice !== 'auto') {
    try {
      return await LOADERS[choice]()
    } catch (err) {
      throw new Error(
        `The '${choice}' TensorFlow.js backend could not be loaded (${describe(err)}). ` +
          `Nothing was trained. Choose the 'auto' backend, or install the missing package.`
      )
    }
  }
  const failures: string[] = []
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    try {
      return await LOADERS[name]()
    } catch (err) {
      failures.push(`${name}: ${describe(err)}`)
    }
  }
  throw new Error(`No TensorFlow.js backend could be loaded (${failures.join('; ')}). Nothing was trained.`)
}
