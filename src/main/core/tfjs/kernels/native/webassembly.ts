/**
 * The part of the WebAssembly JavaScript API this project calls, typed here: Node's typings (this code is compiled
 * without the DOM lib) do not declare it.
 */

/** A WebAssembly.Memory: its buffer is a SharedArrayBuffer when it was made shared (threaded builds). */
export interface LinearMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer
  grow(pages: number): number
}

/** A compiled WebAssembly.Module (opaque; it can be posted to a worker). */
export type CompiledModule = object & { readonly __compiledModule?: never }

export interface ModuleImport {
  module: string
  name: string
  kind: string
}

interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean
  Module: { new (bytes: Uint8Array): CompiledModule; imports(module: CompiledModule): ModuleImport[] }
  Instance: new (module: CompiledModule, imports: Record<string, Record<string, unknown>>) => { exports: unknown }
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => LinearMemory
}

export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly
