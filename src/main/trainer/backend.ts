/** Picks and initialises the TensorFlow.js backend for a trainer process: tfjs-node → WASM (+ own kernels) → cpu. */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { availableParallelism } from 'node:os'
import * as tf from '@tensorflow/tfjs'
import type { BackendChoice } from '@shared/trainer-protocol'
import type { BackendInfo } from '@shared/run'
import { registerWasmTrainingKernels } from './kernels'

const require = createRequire(import.meta.url)

/** Version of an installed package, or null when it cannot be resolved. */
function packageVersion(name: string): string | null {
  try {
    const main = require.resolve(name)
    let dir = dirname(main)
    // Walk up from the package's entry file to its own package.json.
    for (let i = 0; i < 4; i++) {
      try {
        const pkg = require(join(dir, 'package.json')) as { name?: string; version?: string }
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
  const distDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))
  wasm.setWasmPaths(distDir + '/')
  registerWasmTrainingKernels()
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise')
  await tf.ready()
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
