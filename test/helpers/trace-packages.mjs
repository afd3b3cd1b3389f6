// Preloaded with `node --import`: at exit, prints one line `PACKAGES a,b,c` naming every npm package the
// process loaded, so a test can hold a command to what it needs.
import { registerHooks } from 'node:module'

const packages = new Set()
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context)
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(result.url)
    if (match) packages.add(match[1])
    return result
  }
})
process.on('exit', () => process.stderr.write(`\nPACKAGES ${[...packages].sort().join(',')}\n`))
