/**
 * Builds our WebAssembly kernels (src/main/core/tfjs/kernels/native/kernels.c) with Debian's clang and lld
 * into the generated module kernels-wasm.ts, which carries both variants as base64: one for the
 * single-threaded backend's plain memory, one for the threaded backend's shared memory. Generated code is
 * committed, so installing and running the app needs no compiler; `npm run build:kernels` rebuilds it.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { webAssembly } from '../src/main/core/tfjs/kernels/native/webassembly'

const ROOT = resolve(import.meta.dirname, '..')
export const KERNELS_SOURCE = join(ROOT, 'src/main/core/tfjs/kernels/native/kernels.c')
export const KERNELS_GENERATED = join(ROOT, 'src/main/core/tfjs/kernels/native/kernels-wasm.ts')

const COMMON = ['--target=wasm32', '-O3', '-msimd128', '-mbulk-memory', '-nostdlib', '-ffreestanding', '-Wall', '-Wextra', '-Werror']
// No stack: with the stack first and of size 0 the stack pointer starts at 0, so any use of it would trap
// (wrapping below 0) instead of writing over the backend's own data at the bottom of the shared heap.
const LINK = ['-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--stack-first', '-Wl,-z,stack-size=0', '-Wl,--strip-debug']
const SHARED = ['-matomics', ...LINK, '-Wl,--shared-memory', '-Wl,--max-memory=4294967296']
const FMA = ['-mrelaxed-simd', '-DATELIER_FMA']
/**
 * The threaded backend's memory is shared and may grow to 4 GiB (an imported shared memory must say both);
 * the `fma` variants use relaxed SIMD's fused multiply-add, where the engine has it (Node 24, Electron).
 */
const VARIANTS = {
  plain: [...COMMON, ...LINK],
  shared: [...COMMON, ...SHARED],
  plainFma: [...COMMON, ...FMA, ...LINK],
  sharedFma: [...COMMON, ...FMA, ...SHARED]
}
type Variant = keyof typeof VARIANTS

/** Whether clang can build the kernels here (Debian: `apt-get install clang lld llvm`). */
export function canBuildKernels(): boolean {
  try {
    execFileSync('clang', ['--version'], { stdio: 'ignore' })
    execFileSync('wasm-ld', ['--version'], { stdio: 'ignore' })
    execFileSync('llvm-objdump', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function sourceDigest(source: string): string {
  return createHash('sha256').update(source).digest('hex')
}

/**
 * The module must touch only the buffers it is handed: exactly one import, the memory; no data segments; and
 * its only globals (the linker's stack pointer) start at 0, so a stack would trap rather than overwrite.
 */
export function checkSelfContained(bytes: Uint8Array): void {
  const imports = webAssembly.Module.imports(new webAssembly.Module(bytes))
  if (imports.length !== 1 || imports[0]!.kind !== 'memory')
    throw new Error(`kernels must import only memory, not ${JSON.stringify(imports)}`)
  for (const section of sections(bytes)) {
    if (section.id === 11) throw new Error('kernels must have no data segments')
    if (section.id === 6) {
      // count, then per global: type, mutability, init `i32.const 0; end`.
      const body = Array.from(bytes.subarray(section.start, section.start + section.size))
      const count = body[0]!
      const expected = [1].concat(...Array.from({ length: count }, () => [0x7f, 1, 0x41, 0, 0x0b]))
      if (count > 1 || body.join() !== expected.join()) throw new Error('kernels may have one global, a stack pointer at 0')
    }
  }
}

/**
 * Rewrites clang 14's prototype `f32x4.fma` (0xfd 0xaf 0x01) to the standard `f32x4.relaxed_madd` (0xfd 0x85
 * 0x02, opcode 0x105), same length and operands, at each place the disassembly lists one.
 */
function standardiseFma(bytes: Uint8Array, disassembly: string): void {
  const code = sections(bytes).find((s) => s.id === 10)
  if (!code) throw new Error('kernels have no code')
  const offsets = [...disassembly.matchAll(/^\s*([0-9a-f]+):\s+fd af 01\s+f32x4\.fma$/gm)].map((m) => parseInt(m[1]!, 16))
  if (offsets.length === 0) throw new Error('the fma variant has no fused multiply-add')
  for (const at of offsets) {
    const i = code.start + at
    if (bytes[i] !== 0xfd || bytes[i + 1] !== 0xaf || bytes[i + 2] !== 0x01) throw new Error(`no prototype fma at code offset ${at}`)
    bytes[i + 1] = 0x85
    bytes[i + 2] = 0x02
  }
}

/** Section ids and sizes of a WebAssembly binary. */
function sections(bytes: Uint8Array): { id: number; start: number; size: number }[] {
  const out: { id: number; start: number; size: number }[] = []
  let at = 8
  while (at < bytes.length) {
    const id = bytes[at++]!
    let size = 0
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++]!
      size |= (b & 0x7f) << shift
      if (b < 0x80) break
    }
    out.push({ id, start: at, size })
    at += size
  }
  return out
}

/** Both variants' binaries, built from the current source. */
export function buildKernels(): Record<Variant, Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-kernels-'))
  try {
    const build = (variant: Variant): Uint8Array => {
      const out = join(dir, `${variant}.wasm`)
      execFileSync('clang', [...VARIANTS[variant], '-o', out, KERNELS_SOURCE], { stdio: ['ignore', 'inherit', 'inherit'] })
      const code = execFileSync('llvm-objdump', ['-d', out], { encoding: 'utf8' })
      if (/global\.(get|set)/.test(code)) throw new Error(`${variant} uses a global (a stack): keep locals out of memory`)
      const bytes = new Uint8Array(readFileSync(out))
      if (VARIANTS[variant].includes('-DATELIER_FMA')) standardiseFma(bytes, code)
      checkSelfContained(bytes)
      return bytes
    }
    return { plain: build('plain'), shared: build('shared'), plainFma: build('plainFma'), sharedFma: build('sharedFma') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Text of the generated TypeScript module for these binaries. */
export function generatedKernelsText(binaries: Record<Variant, Uint8Array>, source: string): string {
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
  return [
    '// Generated by `npm run build:kernels` from kernels.c: do not edit.',
    `/** sha256 of the kernels.c these binaries were built from. */`,
    `export const KERNELS_SOURCE_SHA256 = '${sourceDigest(source)}'`,
    '/** For a plain (single-threaded backend) memory. */',
    `export const KERNELS_PLAIN = '${b64(binaries.plain)}'`,
    '/** For a shared (threaded backend) memory. */',
    `export const KERNELS_SHARED = '${b64(binaries.shared)}'`,
    '/** KERNELS_PLAIN with fused multiply-adds (relaxed SIMD). */',
    `export const KERNELS_PLAIN_FMA = '${b64(binaries.plainFma)}'`,
    '/** KERNELS_SHARED with fused multiply-adds (relaxed SIMD). */',
    `export const KERNELS_SHARED_FMA = '${b64(binaries.sharedFma)}'`,
    ''
  ].join('\n')
}
