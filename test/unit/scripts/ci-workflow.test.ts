import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const ROOT = join(import.meta.dirname, '..', '..', '..')

interface Step {
  run?: string
  uses?: string
  with?: Record<string, unknown>
}
interface Workflow {
  on: Record<string, unknown>
  jobs: Record<string, { strategy: { matrix: { os: string[] } }; steps: Step[]; 'runs-on': string }>
}

const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')) as Workflow
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps)

describe('the GitHub Actions workflow', () => {
  it('parses and runs on Linux, macOS and Windows', () => {
    const [job] = Object.values(workflow.jobs)
    expect(job!.strategy.matrix.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest'])
    expect(job!['runs-on']).toBe('${{ matrix.os }}')
  })

  it('calls only npm scripts that exist in package.json', () => {
    const called = steps.flatMap((s) => [...(s.run ?? '').matchAll(/npm (?:run ([\w:-]+)|(test|start))\b/g)].map((m) => m[1] ?? m[2]!))
    expect(called).toEqual(expect.arrayContaining(['test', 'dist']))
    for (const name of called) expect(scripts, `npm script ${name}`).toHaveProperty(name)
  })

  it('installs, tests (under xvfb on Linux), builds installers and uploads them', () => {
    const runs = steps.map((s) => s.run ?? '')
    expect(runs).toContain('npm ci')
    expect(runs.some((r) => r.startsWith('xvfb-run') && r.includes('npm test'))).toBe(true)
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))
    expect(String(upload?.with?.['path'])).toMatch(/AppImage[\s\S]*deb[\s\S]*dmg[\s\S]*exe/)
  })
})
