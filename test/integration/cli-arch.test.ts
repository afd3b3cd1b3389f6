/**
 * `arch check` and `arch list` on the real CLI: the layer table, totals and epoch estimate for the
 * default dataset and for one named with --dataset (looked up through the core), JSON output, and
 * every bad input as one line with exit code 2.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRunStore } from '@main/core/store'
import { runCli } from '../helpers/run-cli'
import { MAX_TRAINING_BYTES } from '@shared/architecture/training-memory'

const work = mkdtempSync(join(tmpdir(), 'atelier-cli-arch-'))
const db = join(work, 'atelier.db')
const env = { ATELIER_DATASETS_DIR: join(work, 'datasets'), ATELIER_USER_DATA_DIR: join(work, 'user') }
const common = ['--db', db, '--data', join(work, 'fashion')]
const cli = (args: string[]) => runCli([...args, ...common], env)
afterAll(() => rmSync(work, { recursive: true, force: true }))

const RESNET = 'examples/architectures/small-resnet.json'
const SEPARABLE = 'examples/architectures/separable-cnn.json'

/** A file in the work folder with `text` as its content. */
function fileWith(name: string, text: string): string {
  const path = join(work, name)
  writeFileSync(path, text)
  return path
}

/** A 16×16 RGB folder dataset of 2 classes, written straight into the store (what `dataset add` leaves). */
async function seedTiles(): Promise<void> {
  mkdirSync(env.ATELIER_DATASETS_DIR, { recursive: true })
  const file = join(env.ATELIER_DATASETS_DIR, 'tiles.atds')
  writeFileSync(file, 'cache')
  const store = await openRunStore(db)
  try {
    await store.datasets.insert({
      name: 'tiles',
      title: 'tiles',
      source: 'folder',
      contentHash: 'd'.repeat(64),
      shape: { height: 16, width: 16, channels: 3 },
      classNames: ['plain', 'striped'],
      trainCount: 1000,
      testCount: 200,
      preprocessing: { fit: 'cover', height: 16, width: 16, color: 'rgb', scale: 1 / 255 },
      location: file,
      report: null,
      createdAt: '2026-12-05T00:00:00.000Z'
    })
  } finally {
    await store.close()
  }
}

describe('CLI arch commands', () => {
  beforeAll(async () => await seedTiles())

  it('checks the example files: a row per layer (inside residual blocks too), totals and a rough epoch time', async () => {
    const r = await cli(['arch', 'check', RESNET])
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toBe('small-resnet: checked for fashion-mnist (28×28×1, 10 classes, 54,000 training images)')
    expect(lines[2]).toMatch(/^#\s+layer\s+output\s+params\s+MACs$/)
    expect(r.stdout).toMatch(/^5\s+Residual \(5 layers\) \+ projection 1×1 conv 64 stride 2\s+14×14×64\s+2,112\s+401\.4 k$/m)
    expect(r.stdout).toMatch(/^5\.0\s+Conv2D 64 3×3 stride 2 same no bias\s+14×14×64\s+18,432\s+3\.61 M$/m)
    expect(r.stdout).toMatch(/^9\s+Dense 10 softmax\s+10\s+650\s+640$/m)
    expect(lines.at(-3)).toBe('total 77,674 parameters, 25.92 M multiply-adds per image')
    expect(lines.at(-2)).toMatch(/^one epoch: about \d+ (s|min|h) \(a rough guide/)
    expect(lines.at(-1)).toMatch(/^training memory: at least \d+ MB in batches of 64 \(a run on WebAssembly is refused above 4.0 GB\)$/)

    const separable = await cli(['arch', 'check', SEPARABLE])
    expect(separable.code, separable.stderr).toBe(0)
    expect(separable.stdout).toMatch(/^1\s+SeparableConv2D 64 3×3 same relu\s+28×28×64\s+2,400\s/m)
  })

  it('prints JSON, and checks against a dataset named with --dataset, built-in or imported', async () => {
    const json = JSON.parse((await cli(['arch', 'check', RESNET, '--json'])).stdout)
    expect(json).toMatchObject({ name: 'small-resnet', dataset: { name: 'fashion-mnist', classCount: 10 }, totalParams: 77_674 })
    expect(json.rows.map((row: { path: string }) => row.path)).toContain('3.4')
    expect(json.epochSeconds).toBeGreaterThan(0)
    expect(json.trainingMemory.batchSize).toBe(64)
    expect(json.trainingMemory.bytes).toBeGreaterThan(77_674 * 16)
    expect(json.trainingMemory.limitBytes).toBe(MAX_TRAINING_BYTES)

    const cifar = await cli(['arch', 'check', SEPARABLE, '--dataset', 'cifar10'])
    expect(cifar.code, cifar.stderr).toBe(0)
    expect(cifar.stdout).toMatch(/^separable-cnn: checked for cifar10 \(32×32×3, 10 classes, 45,000 training images\)$/m)
    expect(cifar.stdout).toMatch(/^0\s+Conv2D 32 3×3 same relu\s+32×32×32\s+896\s/m)

    const tiles = await cli(['arch', 'check', RESNET, '--dataset', 'tiles'])
    expect(tiles.code, tiles.stderr).toBe(0)
    expect(tiles.stdout).toMatch(/^9\s+Dense 2 softmax\s+2\s+130\s+128$/m)
  })

  it('refuses for memory only where the run would train on WebAssembly, as a run start does', async () => {
    // 4096 images of small-resnet need more than WebAssembly's 4 GB (refused below with --backend auto here).
    const cpu = await cli(['arch', 'check', RESNET, '--batch-size', '4096', '--backend', 'cpu'])
    expect(cpu.code, cpu.stderr).toBe(0)
    expect(cpu.stdout.trim().split('\n').at(-1)).toMatch(
      /^training memory: at least [\d.]+ GB in batches of 4096 \(no 4.0 GB limit: with this --backend the run does not train on WebAssembly\)$/
    )
    const json = JSON.parse((await cli(['arch', 'check', RESNET, '--batch-size', '4096', '--backend', 'cpu', '--json'])).stdout)
    expect(json.trainingMemory.limitBytes).toBeNull()
    expect(json.trainingMemory.bytes).toBeGreaterThan(MAX_TRAINING_BYTES)
    const wasm = await cli(['arch', 'check', RESNET, '--batch-size', '4096', '--backend', 'wasm'])
    expect(wasm.code).toBe(2)
    expect(wasm.stderr).toMatch(/training needs at least [\d.]+ GB of memory in batches of 4096/)
    const bad = await cli(['arch', 'check', RESNET, '--backend', 'gpu'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--backend must be one of auto, tensorflow, wasm, cpu/)
  })

  it('lists the four presets as architectures with their parameter counts', async () => {
    const r = await cli(['arch', 'list'])
    expect(r.code, r.stderr).toBe(0)
    const rows = r.stdout.trim().split('\n').slice(4, 8)
    expect(rows.map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['dense', 'Dense', '4', '118,282'],
      ['cnn-shallow', 'Shallow CNN', '8', '225,034'],
      ['cnn-deep', 'Deep CNN', '9', '241,546'],
      ['cnn-bn', 'CNN + BatchNorm', '22', '1,679,082']
    ])
    const json = JSON.parse((await cli(['arch', 'list', '--json', '--dataset', 'tiles'])).stdout)
    expect(json.dataset).toMatchObject({ name: 'tiles', classCount: 2 })
    expect(json.presets[1]).toMatchObject({ id: 'cnn-shallow', architecture: { name: 'cnn-shallow' } })
    expect(json.presets[1].architecture.layers[0]).toEqual({
      kind: 'conv2d',
      filters: 32,
      kernel: 3,
      stride: 1,
      padding: 'valid',
      activation: 'relu',
      bias: true
    })
  })

  it('answers every bad input with one line and exit code 2', async () => {
    const flatDense = fileWith(
      'dense-on-image.json',
      JSON.stringify({ name: 'x', layers: [{ kind: 'dense', units: 10, activation: 'softmax' }] })
    )
    const cases: [string[], RegExp][] = [
      [['arch'], /arch needs a subcommand: check, list/],
      [['arch', 'train'], /unknown arch subcommand "train" \(check, list, save, show, delete\)/],
      [['arch', 'check'], /arch check needs a file/],
      [['arch', 'check', join(work, 'missing.json')], /cannot read .*missing\.json: .*no such file/i],
      [
        ['arch', 'check', fileWith('broken.json', '{\n  "name": "x",\n  "layers": [\n    { "kind": "relu" }\n  \n')],
        /broken\.json: not valid JSON at line 6, column 1/
      ],
      [
        [
          'arch',
          'check',
          fileWith('typo.json', JSON.stringify({ name: 'x', layers: [{ kind: 'residual', layers: [{ kind: 'conv', filters: 8 }] }] }))
        ],
        /typo\.json: layer 0\.0 \(conv\): unknown kind "conv"; use one of conv2d/
      ],
      [
        [
          'arch',
          'check',
          fileWith('range.json', JSON.stringify({ name: 'x', layers: [{ kind: 'conv2d', filters: 0, kernel: 3, color: 1 }] }))
        ],
        /range\.json: layer 0 \(conv2d\) field "filters": must be at least 1, not 0 \(and 1 more problem\)\n$/
      ],
      [
        ['arch', 'check', flatDense],
        /dense-on-image\.json: layer 0 \(dense\): dense needs a flat input but gets 28×28×1; add flatten or globalAvgPool before it \(checked for fashion-mnist/
      ],
      [['arch', 'check', SEPARABLE, '--dataset', 'nope'], /There is no dataset named nope/],
      [
        ['arch', 'check', RESNET, '--batch-size', '4096'],
        /small-resnet\.json: training needs at least [\d.]+ GB of memory in batches of 4096, .*use batches of at most \d+ images/
      ],
      [['arch', 'check', RESNET, '--batch-size', '9000'], /--batch-size must be between 1 and 4096, got 9000/],
      [['arch', 'check', SEPARABLE, '--dataset', 'Bad'], /--dataset: use 1–40 lower-case letters/]
    ]
    // Three at a time: each is a process start, and none writes anything.
    const results: Awaited<ReturnType<typeof cli>>[] = []
    for (let i = 0; i < cases.length; i += 3) results.push(...(await Promise.all(cases.slice(i, i + 3).map(([args]) => cli(args)))))
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i]!
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.stderr, args.join(' ')).toMatch(message)
      expect(r.stdout, args.join(' ')).toBe('')
    }
  })
})
