/**
 * `recipes` and `train --recipe` on the real CLI: the list says what each recipe trains and measured,
 * and a recipe trains under its own name with its settings, other flags changing single ones.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PROVEN_RECIPE_IDS, PROVEN_RECIPES } from '@shared/proven-recipes'
import { realDataDir } from '../helpers/real-data'
import { runCli } from '../helpers/run-cli'

const { dir: dataDir, reason } = realDataDir()
const work = mkdtempSync(join(tmpdir(), 'atelier-cli-recipes-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('recipes', () => {
  it('lists every proven recipe with what it measured and the command that runs it', async () => {
    const text = await runCli(['recipes'])
    expect(text.code, text.stderr).toBe(0)
    for (const id of PROVEN_RECIPE_IDS) {
      expect(text.stdout).toContain(`${id}  ${PROVEN_RECIPES[id].title}\n`)
      expect(text.stdout).toContain(`  measured: ${PROVEN_RECIPES[id].measured}\n`)
      expect(text.stdout).toContain(`  run it: npm run cli -- train --recipe ${id}\n`)
    }
    const json = JSON.parse((await runCli(['recipes', '--json'])).stdout) as { id: string }[]
    expect(json.map((r) => r.id)).toEqual([...PROVEN_RECIPE_IDS])
  })
})

describe.skipIf(!dataDir)(`train --recipe${reason}`, () => {
  const common = ['--db', join(work, 'atelier.db'), '--data', dataDir as string]

  it('trains under the recipe name with its settings, the flags given changing only theirs', async () => {
    // dense for a quick run: the model is one of the settings a flag may change.
    const args = ['train', '--recipe', 'fashion-mnist-93', '--model', 'dense', '--epochs', '2', '--subset', '1000', '--json']
    const train = await runCli([...args, ...common])
    expect(train.code, train.stderr).toBe(0)
    const run = JSON.parse(train.stdout) as { id: number; name: string; status: string }
    expect(run).toMatchObject({ name: 'Fashion-MNIST above 93.5 %', status: 'completed' })
    const show = JSON.parse((await runCli(['show', String(run.id), '--json', ...common])).stdout)
    const recipe = PROVEN_RECIPES['fashion-mnist-93'].hparams
    expect(show.hparams).toEqual({ ...recipe, preset: 'dense', epochs: 2, trainSubset: 1000 })
  })
})
