/** `train --repeats` and `sweep` end to end: real trainer, real dataset, real database file. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sampleStandardDeviation } from 'simple-statistics'
import { openRunStore } from '@main/core/store'
import { realDataDir } from '../helpers/real-data'
import { runCli } from '../helpers/run-cli'

const { dir: dataDir, reason } = realDataDir()
const work = mkdtempSync(join(tmpdir(), 'atelier-cli-groups-'))
const db = join(work, 'atelier.db')
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe.skipIf(!dataDir)(`CLI groups and sweeps${reason}`, () => {
  const common = ['--db', db, '--data', dataDir as string]

  it('trains 2 seeds as one group and reports mean ± sample std', async () => {
    const r = await runCli([
      'train',
      '--model',
      'dense',
      '--epochs',
      '1',
      '--subset',
      '1000',
      '--seed',
      '5',
      '--repeats',
      '2',
      '--json',
      ...common
    ])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as {
      group: number
      runs: { seed: number; status: string; testAccuracy: number }[]
      testAccuracy: { mean: number; std: number; n: number }
    }
    expect(out.runs.map((m) => [m.seed, m.status])).toEqual([
      [5, 'completed'],
      [6, 'completed']
    ])
    const accuracies = out.runs.map((m) => m.testAccuracy)
    expect(out.testAccuracy.n).toBe(2)
    expect(out.testAccuracy.std).toBeCloseTo(sampleStandardDeviation(accuracies), 12)
    const store = await openRunStore(db)
    try {
      expect((await store.groups.get(out.group))!.seeds).toEqual([5, 6])
    } finally {
      await store.close()
    }
  })

  it('lists a sweep’s runs with --dry-run and refuses one over 200 runs, writing nothing', async () => {
    const dry = await runCli([
      'sweep',
      '--model',
      'dense',
      '--lr',
      '0.001:0.01',
      '--lr-count',
      '2',
      '--batch-size',
      '32,64',
      '--epochs',
      '1',
      '--dry-run',
      ...common
    ])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(/4 configurations × 1 seed \(42\) = 4 runs/)
    expect(dry.stdout).toContain('lr 0.01 · batch 64 · 1 ep · val 10%')
    const big = await runCli([
      'sweep',
      '--model',
      'dense',
      '--lr',
      '0.001:0.01',
      '--lr-count',
      '20',
      '--batch-size',
      '16,32,64',
      '--seeds',
      '4',
      ...common
    ])
    expect(big.code).toBe(2)
    expect(big.stderr).toMatch(/240 runs; at most 200/)
    const list = JSON.parse((await runCli(['list', '--json', ...common])).stdout) as unknown[]
    expect(list).toHaveLength(2)
  })
})
