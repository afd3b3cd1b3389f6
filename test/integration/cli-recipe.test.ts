/**
 * A recipe given as `train` flags reaches the trainer and the record: the run trains with it, `show`
 * prints it in one line and `show --json` carries every field. Bad recipe flags are one line, exit 2,
 * and nothing recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli'
import { realDataDir } from '../helpers/real-data'

const { dir: dataDir, reason } = realDataDir()
const work = mkdtempSync(join(tmpdir(), 'atelier-cli-recipe-'))
const env = { ATELIER_DATASETS_DIR: join(work, 'datasets'), ATELIER_USER_DATA_DIR: join(work, 'user') }
const cli = (args: string[]) => runCli([...args, '--db', join(work, 'atelier.db'), '--data', dataDir ?? work], env)
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe.skipIf(!dataDir)(`train with a recipe on the real dataset${reason}`, () => {
  it('trains with the flags, and show / show --json report the recipe', async () => {
    const trained = await cli([
      'train',
      '--model',
      'dense',
      '--epochs',
      '2',
      '--subset',
      '1000',
      '--lr',
      '0.05',
      '--optimizer',
      'sgd',
      '--momentum',
      '0.9',
      '--nesterov',
      '--schedule',
      'cosine',
      '--warmup-epochs',
      '1',
      '--label-smoothing',
      '0.1',
      '--augment',
      'shift=2,erase=0.25',
      '--json'
    ])
    expect(trained.code, trained.stderr).toBe(0)
    const run = JSON.parse(trained.stdout) as { id: number; testAccuracy: number }
    expect(run.testAccuracy).toBeGreaterThan(0.5)

    const json = await cli(['show', String(run.id), '--json'])
    const detail = JSON.parse(json.stdout) as { hparams: { recipe: unknown }; history: { learningRate: number }[] }
    expect(detail.hparams.recipe).toEqual({
      optimizer: 'sgd',
      momentum: 0.9,
      nesterov: true,
      weightDecay: 0,
      schedule: 'cosine',
      warmupEpochs: 1,
      labelSmoothing: 0.1,
      augment: { shift: 2, flip: false, erase: 0.25 }
    })
    // Epoch 1 ends its warmup at the full rate; epoch 2 is the cosine's last step, close to 0.
    expect(detail.history[0].learningRate).toBeCloseTo(0.05, 10)
    expect(detail.history[1].learningRate).toBeLessThan(0.001)

    const text = await cli(['show', String(run.id)])
    expect(text.stdout).toContain(
      'recipe sgd (momentum 0.9, nesterov) · cosine, warmup 1 · label smoothing 0.1 · augment shift 2 px, erase 0.25'
    )
  })

  it('refuses out-of-range recipe flags in one line with exit code 2, recording nothing', async () => {
    const runs = async () => (JSON.parse((await cli(['list', '--json'])).stdout) as unknown[]).length
    const before = await runs()
    const cases: [string[], RegExp][] = [
      [['--optimizer', 'sgd', '--momentum=-0.1'], /^atelier: --momentum: must be at least 0\n$/],
      [['--epochs', '2', '--warmup-epochs', '2'], /^atelier: --warmup-epochs: must be fewer than the epochs/],
      [['--label-smoothing', '1.2'], /^atelier: --label-smoothing: must be below 1\n$/],
      [['--augment', 'shift,rotate'], /^atelier: --augment: unknown item "rotate"; give a comma-separated list/],
      [['--augment', 'erase=1.5'], /^atelier: --augment erase: must be at most 1\n$/],
      // Fashion-MNIST's 28×28 images allow a shift of at most 7 px.
      [['--augment', 'shift=8'], /^atelier: Augmentation: a shift of 8 px is more than a quarter of the 28×28 images; choose at most 7/]
    ]
    for (const [flags, message] of cases) {
      const r = await cli(['train', '--model', 'dense', ...flags])
      expect(r.code, flags.join(' ')).toBe(2)
      expect(r.stderr).toMatch(message)
    }
    expect(await runs()).toBe(before)
  })
})
