/**
 * Whether this machine's trainer will train inside WebAssembly's 32-bit memory (4 GB). tfjs-node
 * escapes it: when chosen, or when `auto` finds it installed, since the backend ladder tries it first.
 */
import { createRequire } from 'node:module'
import type { BackendChoice } from '@shared/trainer-protocol'

const requireHere = createRequire(import.meta.url)

function tfjsNodeInstalled(): boolean {
  try {
    requireHere.resolve('@tensorflow/tfjs-node')
    return true
  } catch {
    return false
  }
}

export function trainsInWasmMemory(choice: BackendChoice): boolean {
  return choice === 'wasm' || (choice === 'auto' && !tfjsNodeInstalled())
}
