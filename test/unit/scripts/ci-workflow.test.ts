/**
 * `.github/workflows/ci.yml`, parsed, and its steps' commands checked for the pitfalls that would make
 * it fail on a runner: a Chromium deb Ubuntu does not have, tools the tests need but nobody installs,
 * `--` lost under PowerShell, `.bin` shims Windows will not spawn, scripts that do not exist.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const ROOT = join(import.meta.dirname, '..', '..', '..')

interface Step {
  name?: string
  run?: string
  uses?: string
  if?: string
  shell?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}
interface Job {
  strategy: { matrix: { os: string[] } }
  steps: Step[]
  'runs-on': string
  'timeout-minutes'?: number
  env?: Record<string, string>
}
interface Workflow {
  on: Record<string, unknown>
  defaults?: { run?: { shell?: string } }
  env?: Record<string, string>
  jobs: Record<string, Job>
}

const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')) as Workflow
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
const jobs = Object.entries(workflow.jobs)
const steps = jobs.flatMap(([, job]) => job.steps)
const runs = (job: Job): string => job.steps.map((s) => s.run ?? '').join('\n')
/** The steps of `job` that run on `os` (`runner.os == 'Linux'` conditions resolved). */
function stepsOn(job: Job, os: 'Linux' | 'macOS' | 'Windows'): Step[] {
  return job.steps.filter((s) => {
    if (!s.if) return true
    const is = /runner\.os == '(\w+)'/.exec(s.if)
    const isNot = /runner\.os != '(\w+)'/.exec(s.if)
    if (is) return is[1] === os
    if (isNot) return isNot[1] !== os
    return true
  })
}

describe('the GitHub Actions workflow', () => {
  it('parses, and every job runs on Linux (Ubuntu 24.04), macOS and Windows within a time limit', () => {
    expect(jobs.map(([name]) => name)).toEqual(['test', 'installers', 'packaged-smoke'])
    for (const [name, job] of jobs) {
      expect(job.strategy.matrix.os, name).toEqual(['ubuntu-24.04', 'macos-latest', 'windows-latest'])
      expect(job['runs-on']).toBe('${{ matrix.os }}')
      expect(job['timeout-minutes'], name).toBeGreaterThan(0)
      expect(job['timeout-minutes'], name).toBeLessThanOrEqual(50)
    }
  })

  it('runs every step in bash, so `npm run dist -- --publish never` keeps its `--` on Windows (npm/cli#4903)', () => {
    expect(workflow.defaults?.run?.shell).toBe('bash')
    expect(steps.filter((s) => s.shell && s.shell !== 'bash')).toEqual([])
  })

  it('calls only npm scripts that exist in package.json, and only scripts/ files that exist', () => {
    const called = steps.flatMap((s) => [...(s.run ?? '').matchAll(/npm (?:run ([\w:-]+)|(test|start))\b/g)].map((m) => m[1] ?? m[2]!))
    expect(called).toEqual(expect.arrayContaining(['test', 'dist']))
    for (const name of called) expect(scripts, `npm script ${name}`).toHaveProperty(name)
    const files = steps.flatMap((s) => [...(s.run ?? '').matchAll(/\b(scripts\/[\w.-]+)/g)].map((m) => m[1]!))
    expect(files).toEqual(expect.arrayContaining(['scripts/packaged-smoke.ts', 'scripts/fetch-fashion-mnist.sh']))
    for (const file of files) expect(existsSync(join(ROOT, file)), file).toBe(true)
  })

  it('never installs a `chromium` deb (Ubuntu has none) and installs xvfb and poppler only when missing', () => {
    const aptInstalls = steps.flatMap((s) => (s.run ?? '').split('\n')).filter((l) => /apt(-get)? install/.test(l))
    for (const line of aptInstalls) expect(line).not.toMatch(/\bchromium(-browser)?\b/)
    const linuxTools = stepsOn(workflow.jobs['test']!, 'Linux').find((s) => /apt-get install/.test(s.run ?? ''))!
    expect(linuxTools.run).toMatch(/command -v xvfb-run .*\|\| missing\+=\(xvfb\)/)
    expect(linuxTools.run).toMatch(/command -v pdftotext .*command -v pdftoppm.*\|\| missing\+=\(poppler-utils\)/)
    expect(linuxTools.run).toMatch(/if \[ \$\{#missing\[@\]\} -gt 0 \]/)
  })

  it('gives the PDF report tests poppler on Linux and macOS, and says on Windows that they skip there', () => {
    const test = workflow.jobs['test']!
    expect(
      stepsOn(test, 'Linux')
        .map((s) => s.run ?? '')
        .join('\n')
    ).toMatch(/poppler-utils/)
    expect(
      stepsOn(test, 'macOS')
        .map((s) => s.run ?? '')
        .join('\n')
    ).toMatch(/brew install poppler/)
    expect(
      stepsOn(test, 'Windows')
        .map((s) => s.run ?? '')
        .join('\n')
    ).toMatch(/PDF report tests skip here/)
    // …which is what test/helpers/pdf-tools.ts does where poppler is missing on Windows.
    expect(readFileSync(join(ROOT, 'test', 'helpers', 'pdf-tools.ts'), 'utf8')).toMatch(/platform !== 'win32'/)
  })

  it('points the browser specs at a Chrome or Chromium that each runner has', () => {
    const test = workflow.jobs['test']!
    expect(
      stepsOn(test, 'macOS')
        .map((s) => s.run)
        .join('\n')
    ).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')
    expect(
      stepsOn(test, 'Windows')
        .map((s) => s.run)
        .join('\n')
    ).toContain('C:\\\\Program Files\\\\Google\\\\Chrome\\\\Application\\\\chrome.exe')
    expect(
      stepsOn(test, 'Linux')
        .map((s) => s.run)
        .join('\n')
    ).toMatch(/\[ ! -x \/usr\/bin\/chromium \].*\n.*\n.*google-chrome/)
  })

  it('tests under xvfb on Linux; tests and packaging are separate jobs', () => {
    const test = workflow.jobs['test']!
    expect(stepsOn(test, 'Linux').some((s) => /^xvfb-run .*npm test$/.test(s.run ?? ''))).toBe(true)
    expect(stepsOn(test, 'Windows').some((s) => s.run === 'npm test')).toBe(true)
    expect(runs(test)).not.toMatch(/npm run dist/)
    expect(runs(workflow.jobs['installers']!)).not.toMatch(/npm test/)
    expect(runs(workflow.jobs['packaged-smoke']!)).not.toMatch(/npm test/)
  })

  it('builds the installers without publishing, signing only with secrets that are set, and uploads them', () => {
    const installers = workflow.jobs['installers']!
    const build = installers.steps.find((s) => /npm run dist/.test(s.run ?? ''))!
    expect(build.run).toMatch(/npm run dist -- --publish never/)
    expect(build.env ?? {}).not.toHaveProperty('GH_TOKEN')
    for (const value of Object.values(build.env ?? {})) expect(value).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/)
    expect(build.run).toMatch(/if \[ -n "\$value" \]; then export/)
    const upload = installers.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))
    expect(String(upload?.with?.['path'])).toMatch(/AppImage[\s\S]*deb[\s\S]*dmg[\s\S]*exe/)
  })

  it('smoke-tests the packaged app: unpacked build, the .deb’s sandbox set-up on Linux, the smoke script (under xvfb on Linux)', () => {
    const smoke = workflow.jobs['packaged-smoke']!
    const linux = stepsOn(smoke, 'Linux').map((s) => s.run ?? '')
    const mac = stepsOn(smoke, 'macOS').map((s) => s.run ?? '')
    const order = (list: string[], ...patterns: RegExp[]): number[] => patterns.map((p) => list.findIndex((r) => p.test(r)))
    const linuxOrder = order(
      linux,
      /npm run dist -- --dir/,
      /chmod 4755 dist\/linux-unpacked\/chrome-sandbox/,
      /^xvfb-run .*tsx scripts\/packaged-smoke\.ts$/
    )
    expect(linuxOrder.every((i) => i >= 0)).toBe(true)
    expect([...linuxOrder].sort((a, b) => a - b)).toEqual(linuxOrder)
    expect(order(mac, /npm run dist -- --dir/, /^npx tsx scripts\/packaged-smoke\.ts$/).every((i) => i >= 0)).toBe(true)
    expect(smoke.env?.['ATELIER_DATA_DIR']).toBeTruthy()
  })

  it('caches the Electron and electron-builder downloads in every job that needs them', () => {
    expect(workflow.env?.['electron_config_cache']).toBe('${{ github.workspace }}/.cache/electron')
    expect(workflow.env?.['ELECTRON_BUILDER_CACHE']).toBe('${{ github.workspace }}/.cache/electron-builder')
    for (const [name, job] of jobs) {
      const cache = job.steps.find((s) => s.uses?.startsWith('actions/cache') && s.with?.['path'] === '.cache')
      expect(cache, name).toBeDefined()
      expect(String(cache!.with!['key'])).toContain("hashFiles('package-lock.json')")
    }
  })

  it('never runs a package shim from the .bin folder directly (a .cmd on Windows)', () => {
    for (const step of steps) expect(step.run ?? '').not.toMatch(/node_modules[\\/]\.bin/)
  })
})
