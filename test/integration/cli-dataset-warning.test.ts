/** A data folder with shuffled training labels trains, but `train` says the files are not the official ones. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { OFFICIAL_DATASET_CHECKSUM } from '@shared/dataset-checksum'
import { DATASET_FILES } from '@main/core/dataset/files'
import { realDataDir } from '../helpers/real-data'
import { runCli } from '../helpers/run-cli'

const { dir: dataDir, reason } = realDataDir()
const work = mkdtempSync(join(tmpdir(), 'atelier-cli-shuffled-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe.skipIf(!dataDir)(`CLI train on unofficial files${reason}`, () => {
  it('warns when the run starts, and the run records a checksum other than the official one', async () => {
    const db = join(work, 'atelier.db')
    for (const f of DATASET_FILES) {
      if (f.key !== 'trainLabels') {
        copyFileSync(join(dataDir!, f.name), join(work, f.name))
        continue
      }
      const labels = gunzipSync(readFileSync(join(dataDir!, f.name)))
      labels.subarray(8).reverse()
      writeFileSync(join(work, f.rawName), labels)
    }
    const train = await runCli(['train', '--model', 'dense', '--epochs', '1', '--subset', '1000', '--json', '--db', db, '--data', work])
    expect(train.code, train.stderr).toBe(0)
    expect(train.stderr).toMatch(
      /warning: This run trained on files that are not the official Fashion-MNIST files .*Download the dataset again/
    )
    const { id } = JSON.parse(train.stdout) as { id: number }
    const show = JSON.parse((await runCli(['show', String(id), '--json', '--db', db, '--data', work])).stdout) as {
      datasetChecksum: string
    }
    expect(show.datasetChecksum).not.toBe(OFFICIAL_DATASET_CHECKSUM)
  }, 180_000)
})
