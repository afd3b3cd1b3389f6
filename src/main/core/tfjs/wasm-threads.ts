/**
 * WebAssembly threads for the trainer: how many to ask for, where the package's files really are in a
 * packaged app, and the Node worker bootstrap tf.js needs for its pthread pool.
 */
import { Worker as NodeWorker } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'

/**
 * A path inside a packaged app's `app.asar` mapped to `app.asar.unpacked`, where electron-builder puts
 * the files listed in `asarUnpack`. Workers and the WASM loader read real files, not the archive.
 */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2')
}

/** What decides the WASM thread attempts. */
export interface ThreadPlanInput {
  /** Threads this run may use (its share of the machine); 1 or less means single-threaded. */
  wanted: number
  /** Whether this process has SharedArrayBuffer, which threaded WASM needs. */
  sharedArrayBuffer: boolean
  /** ATELIER_WASM_THREADS=1 forces single-threaded WASM. */
  forceSingle?: boolean
}

/**
 * The thread counts to try in order: threaded first when it can work, then single-threaded WASM, which
 * still trains a CNN hundreds of times faster than the `cpu` backend.
 */
export function wasmThreadAttempts(input: ThreadPlanInput): number[] {
  const wanted = Math.max(1, Math.floor(input.wanted))
  if (wanted < 2 || !input.sharedArrayBuffer || input.forceSingle) return [1]
  return [wanted, 1]
}

/** Whether this process can run threaded WebAssembly at all. */
export function hasSharedArrayBuffer(): boolean {
  return typeof SharedArrayBuffer === 'function'
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
export function detachPthreads(): void {
  pthreadsDetached = true
  for (const worker of pthreadWorkers) worker.unref()
}

/** The package files the pthread bootstrap needs, resolved by the caller (real paths, never inside an asar). */
export interface PthreadFiles {
  workerJs: string
  mainJs: string
}

/** Lets the WASM backend start its pthread pool under Node. */
export function enableNodeWasmThreads(files: PthreadFiles): void {
  const code = PTHREAD_BOOTSTRAP.replace('__WORKER_JS__', JSON.stringify(files.workerJs)).replace(
    '__MAIN_JS__',
    JSON.stringify(files.mainJs)
  )
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
}

/** Makes the next WASM start load the single-threaded (SIMD) binary. */
export function disableWasmThreads(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
}
