/** `train --repeats` and `sweep` end to end: real trainer, real dataset, real database file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sampleStandardDeviation } from 'simple-statistics'
import { openRunStore } from '@main/core/store'
import type { SweepDetail } from '@shared/group'
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

  it('sweeps over saved architectures by name (a version, or the latest) beside files; an unknown name is one line', async () => {
    const saved = await runCli(['arch', 'save', 'examples/architectures/small-resnet.json', ...common])
    expect(saved.code, saved.stderr).toBe(0)
    const plan = await runCli([
      'sweep',
      '--archs',
      'small-resnet@1,examples/architectures/separable-cnn.json',
      '--epochs',
      '1',
      '--dry-run',
      '--json',
      ...common
    ])
    expect(plan.code, plan.stderr).toBe(0)
    const { spec } = JSON.parse(plan.stdout) as { spec: { architectures: { name: string }[] } }
    expect(spec.architectures.map((a) => a.name)).toEqual(['small-resnet', 'separable-cnn'])
    const unknown = await runCli(['sweep', '--archs', 'no-such-arch', '--epochs', '1', '--dry-run', ...common])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim()).toBe(
      'atelier: --archs no-such-arch: no such file, and no saved architecture "no-such-arch" (see "arch list")'
    )
  })

  it('trains a tiny sweep over two optimizers and names the better one; bad values and a misfit architecture store nothing', async () => {
    const runsNow = async () => (JSON.parse((await runCli(['list', '--json', ...common])).stdout) as unknown[]).length
    const before = await runsNow()
    const unknown = await runCli(['sweep', '--model', 'dense', '--optimizers', 'adam,lion', '--epochs', '1', ...common])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim()).toBe('atelier: --optimizers: unknown optimizer "lion": choose adam, adamw, sgd, rmsprop')
    // Two 15 × 15 convolutions leave nothing of a 28 × 28 image: refused before anything is recorded.
    const conv = { kind: 'conv2d', filters: 4, kernel: 15 }
    const misfit = join(work, 'misfit.json')
    writeFileSync(misfit, JSON.stringify({ name: 'misfit', layers: [conv, conv, { kind: 'flatten' }, { kind: 'output' }] }))
    const refused = await runCli(['sweep', '--model', 'dense', '--archs', misfit, '--epochs', '1', '--subset', '200', ...common])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/Architecture misfit: .*change the architecture\. Nothing was started/)
    expect(await runsNow()).toBe(before)

    const r = await runCli([
      'sweep',
      '--model',
      'dense',
      '--optimizers',
      'adam,sgd',
      '--lr',
      '0.01',
      '--epochs',
      '1',
      '--subset',
      '300',
      '--json',
      ...common
    ])
    expect(r.code, r.stderr).toBe(0)
    const sweep = JSON.parse(r.stdout) as SweepDetail
    expect(sweep.runs.map((p) => [p.optimizer, p.status])).toEqual([
      ['adam', 'completed'],
      ['sgd', 'completed']
    ])
    expect(sweep.spec.optimizers).toEqual(['adam', 'sgd'])
    const better = sweep.runs.reduce((a, b) => (b.testAccuracy! > a.testAccuracy! ? b : a))
    expect(sweep.best).toMatchObject({ optimizer: better.optimizer, runId: better.runId })
    const store = await openRunStore(db)
    try {
      const runs = await store.runs.getMany(sweep.runs.map((p) => p.runId))
      expect(runs.map((run) => run.hparams.recipe.optimizer)).toEqual(['adam', 'sgd'])
      // Only the optimizer differs: the rest of the recipe is the defaults'.
      expect({ ...runs[1]!.hparams.recipe, optimizer: 'adam' }).toEqual(runs[0]!.hparams.recipe)
    } finally {
      await store.close()
    }
  })
})
