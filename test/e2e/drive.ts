/**
 * Drive the UI by hand through the harness: real core, real trainer, built renderer in Chromium.
 *
 *   npx tsx test/e2e/drive.ts [--runs 200] [--train 2] [--dark] [--headed] [--db path]
 *
 * Opens a REPL with `page`, `core`, `wb`, `shot(name)` (screenshots both themes into
 * artifacts/screenshots/) and `go(hash)`. `.exit` closes everything and removes the temp folder.
 */
import repl from 'node:repl'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { launchWorkbench } from './harness'
import { screenshotBothThemes, trainRun } from './helpers'
import { seedRuns } from './fixtures/seed-runs'

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    train: { type: 'string' },
    db: { type: 'string' },
    dark: { type: 'boolean', default: false },
    headed: { type: 'boolean', default: false }
  }
})

let dbPath = values.db
if (values.runs) {
  dbPath ??= join(mkdtempSync(join(tmpdir(), 'atelier-drive-')), 'atelier.db')
  await seedRuns({ dbPath, count: Number(values.runs), epochs: 50, withResults: Math.min(10, Number(values.runs)) })
}
const wb = await launchWorkbench({ dbPath, theme: values.dark ? 'dark' : 'light', headed: values.headed })
for (let i = 0; i < Number(values.train ?? 0); i++) {
  const run = await trainRun(wb.core, `drive ${i + 1}`, { learningRate: 0.001 * (i + 1) })
  console.log(`trained run #${run.id}: test accuracy ${(run.testAccuracy! * 100).toFixed(2)}%`)
}
await wb.page.reload()
console.log(`Atelier is at ${wb.baseUrl} (the browser shell's server; the access cookie is set in the harness's Chromium only).`)

const server = repl.start({ prompt: 'atelier> ' })
Object.assign(server.context, {
  wb,
  page: wb.page,
  core: wb.core,
  shot: (name: string) => screenshotBothThemes(wb.page, name),
  go: (hash: string) => wb.page.evaluate((h) => ((globalThis as unknown as { location: { hash: string } }).location.hash = h), hash)
})
server.on('exit', () => {
  void wb.close().then(() => process.exit(0))
})
