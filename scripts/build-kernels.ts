/** `npm run build:kernels`: rebuilds our WebAssembly kernels (needs Debian's clang and lld) into their generated module. */
import { readFileSync, writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import { buildKernels, canBuildKernels, generatedKernelsText, KERNELS_GENERATED, KERNELS_SOURCE } from './kernels-build'

if (!canBuildKernels()) {
  process.stderr.write('building the kernels needs clang and wasm-ld (Debian: apt-get install clang lld llvm)\n')
  process.exit(2)
}
writeFileSync(KERNELS_GENERATED, generatedKernelsText(buildKernels(), readFileSync(KERNELS_SOURCE, 'utf8')))
process.stdout.write(`wrote ${relative(process.cwd(), KERNELS_GENERATED)}\n`)
