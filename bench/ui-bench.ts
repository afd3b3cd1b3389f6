/**
 * `npm run bench:ui [-- --repeats N] [--json]`
 *
 * How long the big views take in the browser shell, with the e2e harness's setup (the built renderer in
 * Chromium over the real core, a database of 1,000 runs × 50 epochs and 10 groups of 3 filled through
 * the db layer): Experiments after in-app navigation (rows shown, filter answering), Compare of 10 runs
 * and of 10 groups (first chart, every section mounted). Each figure is the median of N visits (default
 * 5), printed with its range and the machine's load; the e2e specs check the same views work, without
 * timing them. Needs the real dataset (ATELIER_DATA_DIR) and Chromium, as the e2e specs do.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorMessage } from '@shared/error-text'
import { launchWorkbench } from '../test/e2e/harness'
import { seedGroups, seedRuns } from '../test/e2e/fixtures/seed-runs'
import { backToExperiments, median, rendererCpuMs, timeCompareMount, timeExperiments } from '../test/e2e/ui-timings'

const GROUPS = { groups: 10, size: 3, epochs: 50 }
const TOTAL_RUNS = 1000 + GROUPS.groups * GROUPS.size

function parseArgs(argv: string[]): { repeats: number; json: boolean } {
  const i = argv.indexOf('--repeats')
  const repeats = i >= 0 ? Number(argv[i + 1]) : 5
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 50)
    throw new Error(`--repeats takes a whole number from 1 to 50, not "${argv[i + 1]}"`)
  return { repeats, json: argv.includes('--json') }
}

async function main(): Promise<void> {
  const { repeats, json } = parseArgs(process.argv.slice(2))
  const dir = mkdtempSync(join(tmpdir(), 'atelier-ui-bench-'))
  const dbPath = join(dir, 'atelier.db')
  process.stderr.write(`seeding ${TOTAL_RUNS} runs…\n`)
  const ids = await seedRuns({ dbPath, count: 1000, epochs: 50, withResults: 10 })
  const groupIds = await seedGroups({ dbPath, ...GROUPS })
  const wb = await launchWorkbench({ dbPath })
  const samples: Record<string, number[]> = {}
  const add = (name: string, ms: number): void => void (samples[name] ??= []).push(ms)
  try {
    const { page, baseUrl } = wb
    // tsx keeps function names with an `__name` helper that the in-page timing code would then call.
    const keepNames = 'globalThis.__name = (f) => f'
    await page.addInitScript({ content: keepNames })
    await page.evaluate(keepNames)
    await timeExperiments(page, () => page.goto(`${baseUrl}#/experiments`), TOTAL_RUNS) // warm-up: the bundle is parsed once
    for (let i = 0; i < repeats; i++) {
      process.stderr.write(`visit ${i + 1} of ${repeats}\n`)
      await page.getByTestId('nav-settings').click()
      await page.getByTestId('settings-view').waitFor()
      const exp = await timeExperiments(page, () => page.getByTestId('nav-experiments').click(), TOTAL_RUNS)
      add(`Experiments, ${TOTAL_RUNS} runs: rows shown`, exp.rowsMs)
      add(`Experiments, ${TOTAL_RUNS} runs: filter answers`, exp.interactiveMs)
      await backToExperiments(page)
      const runs = await timeCompareMount(page, `#/compare/${ids.slice(0, 10).join(',')}`)
      add('Compare, 10 runs × 50 epochs: first chart', runs.firstChartMs)
      add('Compare, 10 runs × 50 epochs: every section mounted', runs.mountedMs)
      await backToExperiments(page)
      const cpu = await rendererCpuMs(page)
      const groups = await timeCompareMount(page, `#/compare/${groupIds.map((g) => `g${g}`).join(',')}`)
      add('Compare, 10 groups × 3 runs × 50 epochs: first chart', groups.firstChartMs)
      add('Compare, 10 groups × 3 runs × 50 epochs: every section mounted', groups.mountedMs)
      add('Compare, 10 groups: renderer CPU time per mount', (await rendererCpuMs(page)) - cpu)
    }
  } finally {
    await wb.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const rows = Object.entries(samples).map(([name, xs]) => ({
    name,
    medianMs: median(xs),
    minMs: Math.min(...xs),
    maxMs: Math.max(...xs),
    n: xs.length
  }))
  const machine = `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`
  if (json) {
    process.stdout.write(JSON.stringify({ repeats, machine, rows }) + '\n')
    return
  }
  const width = Math.max(...rows.map((r) => r.name.length))
  process.stdout.write(`UI timings, median of ${repeats} visits (min – max), ${machine}\n`)
  for (const r of rows)
    process.stdout.write(
      `${r.name.padEnd(width)}  ${r.medianMs.toFixed(0).padStart(5)} ms  (${r.minMs.toFixed(0)} – ${r.maxMs.toFixed(0)})\n`
    )
}

main().catch((err: unknown) => {
  console.error(`bench:ui failed: ${errorMessage(err)}`)
  process.exitCode = 1
})
