/**
 * Whether this machine's trainer will train inside WebAssembly's 32-bit memory (4 GB). tfjs-node
 * escapes it: when chosen, or when `auto` finds it installed, since the backend ladder tries it first.
 */
import { createRequire } from 'node:module'
import type { BackendChoice } from '@shared/trainer-protocol'

const requireHere = createRequire(import.meta.url)

/** The optional native backend's package: named once, so the app reaches it in one place it can do without. */
export const TFJS_NODE = '@tensorflow/tfjs-node'

function tfjsNodeInstalled(): boolean {
  try {
    requireHere.resolve(TFJS_NODE)
    return true
  } catch {
    return false
  }
}

export function trainsInWasmMemory(choice: BackendChoice): boolean {
  return choice === 'wasm' || (choice === 'auto' && !tfjsNodeInstalled())
}
