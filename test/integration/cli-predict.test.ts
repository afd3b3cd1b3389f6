/**
 * `predict` through the real CLI: a folder, a device or a pipe among the files gets one line naming
 * it, the good files still get their results, and the exit code is 2; blank images are called blank.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { realDataDir } from '../helpers/real-data'
import { runCli } from '../helpers/run-cli'

const { dir: dataDir, reason } = realDataDir()
const work = mkdtempSync(join(tmpdir(), 'atelier-cli-predict-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe.skipIf(!dataDir)(`CLI predict${reason}`, () => {
  const common = ['--db', join(work, 'atelier.db'), '--data', dataDir as string]
  const good = join(work, 'good.png')
  const white = join(work, 'white.png')
  let id = 0

  beforeAll(async () => {
    const train = await runCli(['train', '--model', 'dense', '--epochs', '1', '--subset', '2000', '--json', ...common])
    expect(train.code, train.stderr).toBe(0)
    // The official files: no warning about the dataset.
    expect(train.stderr).not.toMatch(/not the official/)
    id = (JSON.parse(train.stdout) as { id: number }).id
    // A light blob on black, and a plain white picture.
    const blob = Buffer.from(Uint8Array.from({ length: 784 }, (_, i) => (Math.hypot((i % 28) - 14, Math.floor(i / 28) - 14) < 9 ? 220 : 0)))
    await sharp(blob, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(good)
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffffff' } })
      .png()
      .toFile(white)
  }, 120_000)

  it('names each bad file on one line, still predicts the good ones, and exits 2', async () => {
    const folder = join(work, 'somedir.png')
    mkdirSync(folder)
    const fifo = join(work, 'pipe.png')
    execFileSync('mkfifo', [fifo])
    const r = await runCli(['predict', String(id), good, folder, '/dev/zero', fifo, ...common])
    expect(r.code).toBe(2)
    const errors = r.stderr.trim().split('\n')
    expect(errors).toHaveLength(3)
    expect(errors[0]).toMatch(/somedir\.png.* is a folder, not an image file/)
    expect(errors[1]).toMatch(/^\/dev\/zero: .*is a device, not an image file/)
    expect(errors[2]).toMatch(/pipe\.png.* is a pipe, not an image file/)
    expect(r.stdout).toMatch(new RegExp(`^${good}\\n(  +\\d+\\.\\d+%  \\S.*\\n){3}$`))
  })

  it('says when an image is blank, in text and in --json', async () => {
    const text = await runCli(['predict', String(id), white, good, ...common])
    expect(text.code, text.stderr).toBe(0)
    const [whitePart, goodPart] = text.stdout.split(`${good}\n`)
    expect(whitePart).toMatch(/note: the image is blank \(one flat colour, nothing to recognise\), so its prediction means nothing/)
    expect(goodPart).not.toMatch(/blank/)
    const json = await runCli(['predict', String(id), white, good, '--json', ...common])
    const { predictions } = JSON.parse(json.stdout) as { predictions: { file: string; blank?: boolean }[] }
    expect(predictions.map((p) => p.blank ?? false)).toEqual([true, false])
  })

  it('takes --dataset as what the run must have trained on, and refuses another in one line', async () => {
    const same = await runCli(['predict', String(id), good, '--dataset', 'fashion-mnist', ...common])
    expect(same.code, same.stderr).toBe(0)
    const other = await runCli(['predict', String(id), good, '--dataset', 'mnist', ...common])
    expect(other.code).toBe(2)
    expect(other.stdout).toBe('')
    expect(other.stderr.trim().split('\n')).toHaveLength(1)
    expect(other.stderr).toMatch(
      new RegExp(`run ${id} was trained on fashion-mnist, not mnist: its model knows 10 classes of 28×28×1 images`)
    )
  })
})
