/** The headless CLI end to end: real trainer, real dataset, real database file. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { realDataDir } from '../helpers/real-data'
import { isWindows, NO_PROC, NO_SIGNALS, windowsSkip } from '../helpers/platform'
import { runCli, startCli, trainerAfterFirstEpoch } from '../helpers/run-cli'

const { dir: dataDir, reason } = realDataDir()
const work = mkdtempSync(join(tmpdir(), 'atelier-cli-'))
const db = join(work, 'atelier.db')
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe.skipIf(!dataDir)(`CLI${reason}`, () => {
  const common = ['--db', db, '--data', dataDir as string]

  it('trains for one epoch with a live display; list, show and the exported CSV agree', async () => {
    const train = await runCli(['train', '--model', 'dense', '--epochs', '1', '--subset', '2000', '--json', ...common])
    expect(train.code, train.stderr).toBe(0)
    expect(train.stderr).toMatch(/epoch 1\/1 .*loss .*val_acc/)
    const summary = JSON.parse(train.stdout)
    expect(summary).toMatchObject({ status: 'completed', epochs: 1, backend: 'wasm' })
    expect(summary.testAccuracy).toBeGreaterThan(0)

    const list = JSON.parse((await runCli(['list', '--json', ...common])).stdout)
    expect(list.map((r: { id: number }) => r.id)).toContain(summary.id)

    const show = JSON.parse((await runCli(['show', String(summary.id), '--json', ...common])).stdout)
    expect(show.metrics.testAccuracy).toBe(summary.testAccuracy)

    const csv = join(work, 'predictions.csv')
    const exported = await runCli(['export', String(summary.id), '--predictions', csv, ...common])
    expect(exported.code, exported.stderr).toBe(0)
    const rows = readFileSync(csv, 'utf8').trim().split('\n')
    expect(rows[0]).toBe('index,label,label_name,predicted,predicted_name,confidence')
    expect(rows).toHaveLength(10_001)
    const correct = rows.slice(1).filter((r) => {
      const [, label, , predicted] = r.split(',')
      return label === predicted
    }).length
    expect(correct / 10_000).toBe(show.metrics.testAccuracy)

    const text = await runCli(['show', String(summary.id), ...common])
    expect(text.stdout).toContain('confusion matrix')
    expect(text.stdout).toContain(`${(show.metrics.testAccuracy * 100).toFixed(2)}%`)
  })

  it('rejects bad input with one clear line, a non-zero exit, and the database unchanged', async () => {
    const before = statSync(db).mtimeMs
    const listBefore = (await runCli(['list', '--json', ...common])).stdout
    const cases: [string[], RegExp][] = [
      [['train', '--model', 'resnet'], /unknown model "resnet"/],
      [['train', '--model', 'dense', '--epochs', '0'], /--epochs/],
      [['train', '--model', 'dense', '--epochs', '100000'], /--epochs/],
      [['train', '--model', 'dense', '--batch-size', 'ten'], /--batch-size must be a number/],
      [['train', '--model', 'dense', '--lr=-0.1'], /--lr/],
      [['train', '--model', 'dense', '--colour'], /unknown option '--colour'/],
      [['show', 'x'], /run id must be a positive whole number/],
      [['show', '9999'], /Run 9999 does not exist/],
      [['resume'], /resume needs a run id/],
      [['resume', '9999'], /Run 9999 does not exist/],
      [['train-more', '1'], /train-more needs --epochs N/],
      [['train-more', '1', '--epochs', '0'], /--epochs must be between 1 and 499/],
      [['export', '1', '--model', join(work, 'm')], /--model DIR needs --format tfjs or --format onnx/],
      [['export', '1', '--model', join(work, 'm'), '--format', 'keras'], /--format onnx, not "keras"/],
      [['export', '1', '--format', 'onnx'], /--format goes with --model DIR/],
      [['predict', '1'], /predict needs at least one image file/],
      [['predict', '1', 'README.md', '--top', '0'], /--top must be 1 or more/],
      [['predict', '9999', 'README.md'], /Run 9999 does not exist/],
      [['predict', '1', 'README.md'], /README\.md: README\.md is not an image Atelier can read .*PNG, JPEG or WebP/],
      [['predict', '1', join(work, 'missing.png')], /missing\.png cannot be read \(ENOENT\)/]
    ]
    for (const [args, message] of cases) {
      const r = await runCli([...args, ...common])
      expect(r.code, args.join(' ')).not.toBe(0)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    }
    const missing = await runCli(['train', '--model', 'dense', '--db', db, '--data', join(work, 'nowhere')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/train-images-idx3-ubyte\.gz: not found/)
    // Skipped on Windows: NO_PROC (helpers/platform.ts).
    if (!isWindows) {
      const unwritable = await runCli(['train', '--model', 'dense', '--db', '/proc/atelier/x.db', '--data', dataDir as string])
      expect(unwritable.code).toBe(1)
      expect(unwritable.stderr).toMatch(/cannot open its run database at \/proc\/atelier\/x\.db/)
    }
    expect((await runCli(['list', '--json', ...common])).stdout).toBe(listBefore)
    expect(statSync(db).mtimeMs).toBe(before)
    if (!isWindows) expect(existsSync('/proc/atelier'), NO_PROC).toBe(false)
  })

  it.skipIf(isWindows)(
    `says what happened when the trainer process is killed mid-run, keeping completed epochs${windowsSkip(NO_SIGNALS)}`,
    async () => {
      const cli = startCli(['train', '--model', 'dense', '--epochs', '30', '--subset', '20000', ...common])
      const trainerPid = await trainerAfterFirstEpoch(cli, 30)
      process.kill(trainerPid, 'SIGKILL')
      const result = await cli.result
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/failed after \d+\/30 epochs/)
      expect(result.stdout).toMatch(/killed by SIGKILL .*completed epochs? (was|were) kept/)
      const runs = JSON.parse((await runCli(['list', '--json', ...common])).stdout)
      expect(runs[0]).toMatchObject({ status: 'failed' })
      expect(runs[0].epochsDone).toBeGreaterThanOrEqual(1)
    }
  )

  it('trains a completed run further with the live display, and refuses to resume it, in one line', async () => {
    const own = ['--db', join(work, 'train-more.db'), '--data', dataDir as string]
    const first = await runCli(['train', '--model', 'dense', '--epochs', '2', '--subset', '2000', '--json', ...own])
    const { id } = JSON.parse(first.stdout) as { id: number }
    const more = await runCli(['train-more', String(id), '--epochs', '1', ...own])
    expect(more.code).toBe(0)
    expect(more.stderr).toMatch(/continuing after epoch 2 on wasm/)
    expect(more.stderr).toMatch(/epoch 3\/3 {2}loss/)
    expect(more.stdout).toMatch(new RegExp(`run ${id} completed after 3/3 epochs`))
    const show = await runCli(['show', String(id), ...own])
    expect(show.stdout).toMatch(/extended after epoch 2 .*test accuracy before: \d+\.\d+%/)
    expect(show.stdout).toMatch(/model epoch 3, \d+\.\d MB · checkpoint epoch 3/)
    const resume = await runCli(['resume', String(id), ...own])
    expect(resume.code).toBe(2)
    expect(resume.stderr.trim().split('\n')).toEqual([
      `atelier: Run ${id} is completed; only interrupted, failed or cancelled runs can be resumed (use Train more to extend it). Nothing was changed.`
    ])
  })

  it('a killed CLI takes its trainer with it, and the next command marks the run interrupted', async () => {
    const own = ['--db', join(work, 'killed-cli.db'), '--data', dataDir as string]
    const cli = startCli(['train', '--model', 'dense', '--epochs', '30', '--subset', '20000', ...own])
    const trainerPid = await trainerAfterFirstEpoch(cli, 30)
    cli.child.kill('SIGKILL')
    // The trainer shares the CLI's stderr, so the pipe closes only when the trainer has gone too (a
    // trainer that stayed would hold it open and fail the test by its timeout).
    await cli.result
    await new Promise((resolve) => setTimeout(resolve, 500))
    // Gone, or a zombie waiting for the init process to reap it: either way no longer training.
    const state = existsSync(`/proc/${trainerPid}/stat`) ? readFileSync(`/proc/${trainerPid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone'
    expect(['gone', 'Z', 'X']).toContain(state)
    const runs = JSON.parse((await runCli(['list', '--json', ...own])).stdout)
    expect(runs[0].status).toBe('interrupted')
    expect(runs[0].epochsDone).toBeGreaterThanOrEqual(1)
  })
})
