/** Picks and initialises the TensorFlow.js backend for a trainer process: tfjs-node → WASM (+ own kernels) → cpu. */
import { errorMessage } from '@shared/error-text'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import os, { availableParallelism } from 'node:os'
import * as tf from '@tensorflow/tfjs'
import type { BackendChoice } from '@shared/trainer-protocol'
import type { BackendInfo } from '@shared/run'
import { registerWasmTrainingKernels } from './kernels'
import { TFJS_NODE } from './memory-bound'
import {
  detachPthreads,
  disableWasmThreads,
  enableNodeWasmThreads,
  hasSharedArrayBuffer,
  unpackedPath,
  wasmThreadAttempts
} from './wasm-threads'

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
  return errorMessage(err)
}

async function tryTensorflow(): Promise<BackendInfo> {
  // tfjs-node is an optional dependency; a variable specifier (TFJS_NODE) keeps bundlers from resolving it at build time.
  await import(/* @vite-ignore */ TFJS_NODE)
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node loaded but the tensorflow backend did not initialise')
  await tf.ready()
  return { name: 'tensorflow', threads: availableParallelism(), versions: versions(TFJS_NODE) }
}

/** What the trainer asks of the backend. */
export interface BackendOptions {
  /** Threads this run may use: its share of the machine's cores (default: all of them). */
  threads?: number
  /** Starts WASM with a given thread count; replaced in tests to exercise the fallback steps. */
  startWasm?: (threads: number) => Promise<BackendInfo>
  /** How long a threaded WASM start may take before single-threaded WASM is tried instead. */
  threadedStartTimeoutMs?: number
}

let wasmPrepared = false

/** One-time WASM set-up: binaries' location (outside any asar) and Atelier's training kernels. */
async function prepareWasm(): Promise<typeof import('@tensorflow/tfjs-backend-wasm')> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  if (!wasmPrepared) {
    // The .wasm binaries sit next to the package's Node entry file; resolving it works from source and from the bundle.
    const distDir = unpackedPath(dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm')))
    wasm.setWasmPaths(distDir + '/')
    registerWasmTrainingKernels()
    wasmPrepared = true
  }
  return wasm
}

/** Starts the WASM backend with `threads` threads (1 = the single-threaded SIMD binary). */
async function startWasm(threads: number): Promise<BackendInfo> {
  const wasm = await prepareWasm()
  if (tf.findBackend('wasm')) {
    // Already running in this process (a second initBackend call): the thread pool cannot change.
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise')
    return { name: 'wasm', threads: wasm.getThreadsCount(), versions: versions('@tensorflow/tfjs-backend-wasm') }
  }
  if (threads > 1) {
    enableNodeWasmThreads({
      workerJs: unpackedPath(requireHere.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js')),
      mainJs: unpackedPath(requireHere.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'))
    })
    wasm.setThreadsCount(threads)
  } else {
    disableWasmThreads()
  }
  // The WASM module sizes its thread pool from os.cpus().length / 2 (it assumes hyper-threading) when it
  // starts, ignoring setThreadsCount; report 2 × threads CPUs only while it starts so the pool fits.
  const realCpus = os.cpus
  if (threads > 1) os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => realCpus()[i % realCpus().length]!)
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise')
    await tf.ready()
  } finally {
    os.cpus = realCpus
  }
  detachPthreads()
  return { name: 'wasm', threads: wasm.getThreadsCount(), versions: versions('@tensorflow/tfjs-backend-wasm') }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not start within ${Math.round(ms / 1000)} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * WASM with threads when this process can run them, else (or when the threaded start fails) single-threaded
 * WASM; only when both fail does the caller fall to `cpu`, which trains a CNN at about one image a second.
 */
async function tryWasm(options: BackendOptions = {}): Promise<BackendInfo> {
  const attempts = wasmThreadAttempts({
    wanted: options.threads ?? availableParallelism(),
    sharedArrayBuffer: hasSharedArrayBuffer(),
    forceSingle: process.env.ATELIER_WASM_THREADS === '1'
  })
  const start = options.startWasm ?? startWasm
  const failures: string[] = []
  for (const threads of attempts) {
    try {
      const run = start(threads)
      return threads > 1 ? await withTimeout(run, options.threadedStartTimeoutMs ?? 30_000, 'threaded WASM') : await run
    } catch (err) {
      failures.push(`${threads > 1 ? `${threads} threads` : 'single-threaded'}: ${describe(err)}`)
    }
  }
  throw new Error(failures.join('; '))
}

async function tryCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise')
  await tf.ready()
  return { name: 'cpu', threads: 1, versions: versions('@tensorflow/tfjs-backend-cpu') }
}

const LOADERS: Record<Exclude<BackendChoice, 'auto'>, (options: BackendOptions) => Promise<BackendInfo>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: tryCpu
}

/**
 * Initialises the chosen backend. `auto` walks tensorflow → wasm → cpu and takes the first that loads;
 * an explicit choice that cannot load throws, naming the backend and the cause.
 */
export async function initBackend(choice: BackendChoice, options: BackendOptions = {}): Promise<BackendInfo> {
  if (choice !== 'auto') {
    try {
      return await LOADERS[choice](options)
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
      return await LOADERS[name](options)
    } catch (err) {
      failures.push(`${name}: ${describe(err)}`)
    }
  }
  throw new Error(`No TensorFlow.js backend could be loaded (${failures.join('; ')}). Nothing was trained.`)
}
