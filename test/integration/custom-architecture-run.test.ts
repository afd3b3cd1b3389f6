/**
 * A custom architecture (examples/architectures/small-resnet.json: residual blocks, so a functional
 * tf.js model) as a real run through the CLI: `train --arch` → cancelled (Ctrl-C) after its first
 * checkpoint → `resume` ends bit-identical to the same run trained straight through → the ONNX export
 * gives, in onnxruntime-node, the probabilities `predict` gives for a PNG → `show --json` carries the
 * architecture and its parameter count. An architecture the dataset cannot take is refused in one line,
 * exit 2, nothing recorded (the flag errors are unit-tested in test/unit/main/cli/train-command.test.ts).
 *
 * The data: 3 classes of real Fashion-MNIST images (85 each, 15 of them held out for testing) added
 * as a folder dataset at 28×28 grey. small-resnet costs 26 M multiply-adds per image; scoring the
 * official 10,000 test images twice would take longer than this whole test may.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import Database from 'better-sqlite3'
import * as ort from 'onnxruntime-node'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EpochRecord, RunDetail } from '@shared/run'
import type { Architecture } from '@shared/architecture/architecture-schema'
import { openRunStore } from '@main/core/store'
import { realDataDir } from '../helpers/real-data'
import { runCli, startCli } from '../helpers/run-cli'

const { dir: realDir, reason } = realDataDir()
const ARCH = resolve(import.meta.dirname, '../../examples/architectures/small-resnet.json')
const work = mkdtempSync(join(tmpdir(), 'atelier-custom-arch-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Fashion-MNIST classes used, by label: T-shirt/top, Trouser, Sneaker. */
const CLASSES: Record<number, string> = { 0: 'tshirt', 1: 'trouser', 7: 'sneaker' }
const PER_CLASS = { train: 70, test: 15 }

/** Writes the first images of each chosen class of the real training files as PNGs under train/ and test/. */
async function writeFolder(dir: string): Promise<void> {
  const images = gunzipSync(readFileSync(join(realDir!, 'train-images-idx3-ubyte.gz')))
  const labels = gunzipSync(readFileSync(join(realDir!, 'train-labels-idx1-ubyte.gz')))
  const taken = new Map<number, number>()
  const writes: Promise<unknown>[] = []
  for (let i = 0; i < 60_000 && writes.length < 3 * (PER_CLASS.train + PER_CLASS.test); i++) {
    const label = labels[8 + i]
    const name = CLASSES[label]
    const n = taken.get(label) ?? 0
    if (!name || n >= PER_CLASS.train + PER_CLASS.test) continue
    taken.set(label, n + 1)
    const folder = join(dir, n < PER_CLASS.train ? 'train' : 'test', name)
    mkdirSync(folder, { recursive: true })
    const pixels = images.subarray(16 + i * 784, 16 + (i + 1) * 784)
    writes.push(
      sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } })
        .png()
        .toFile(join(folder, `${i}.png`))
    )
  }
  await Promise.all(writes)
}

type Shown = RunDetail & { architecture: Architecture; parameterCount: number }
const figures = ({ durationMs: _d, ...rest }: EpochRecord) => rest

describe.skipIf(!realDir)(`a custom architecture through the CLI${reason}`, () => {
  const folder = join(work, 'folder')
  const db = join(work, 'atelier.db')
  const common = ['--db', db, '--data', realDir ?? '']
  const train = ['train', '--arch', ARCH, '--dataset', 'fashion3', '--epochs', '2', '--subset', '100', '--batch-size', '32', '--seed', '5']
  /** The runs as the store has them, read in this process (cheaper than a CLI per look). */
  const stored = async (id: number): Promise<RunDetail> => {
    const store = await openRunStore(db)
    try {
      return (await store.runs.get(id))!
    } finally {
      await store.close()
    }
  }

  beforeAll(async () => {
    await writeFolder(folder)
    const added = await runCli(['dataset', 'add', 'fashion3', '--folder', folder, '--size', '28', '--color', 'gray', ...common])
    expect(added.code, added.stderr).toBe(0)
  }, 120_000)

  let straight = 0

  it('trains small-resnet from its file; cancelled after epoch 1 and resumed, it ends as the run trained straight through', async () => {
    const a = await runCli([...train, '--json', ...common])
    expect(a.code, a.stderr).toBe(0)
    straight = (JSON.parse(a.stdout) as { id: number }).id

    // The same run, cancelled (Ctrl-C) once its first epoch and checkpoint are recorded.
    const b = startCli([...train, '--json', ...common])
    let sent = false
    b.child.stderr?.on('data', (d: Buffer) => {
      if (!sent && /epoch 1\/2 {2}loss/.test(d.toString())) {
        sent = true
        b.child.kill('SIGINT')
      }
    })
    const cancelled = await b.result
    expect(cancelled.code, cancelled.stderr).toBe(130)
    const resumed = (JSON.parse(cancelled.stdout) as { id: number }).id
    expect((await stored(resumed)).history).toHaveLength(1)

    const r = await runCli(['resume', String(resumed), '--json', ...common])
    expect(r.code, r.stderr).toBe(0)
    const [one, two] = [await stored(straight), await stored(resumed)]
    expect(two.status).toBe('completed')
    expect(two.resumePoints.map((p) => p.kind)).toEqual(['resumed'])
    expect(two.history.map(figures)).toEqual(one.history.map(figures))
    expect(two.metrics).toEqual(one.metrics)
  })

  it('show --json carries the architecture and its parameter count', async () => {
    const r = await runCli(['show', String(straight), '--json', ...common])
    expect(r.code, r.stderr).toBe(0)
    const run = JSON.parse(r.stdout) as Shown
    const file = JSON.parse(readFileSync(ARCH, 'utf8')) as Architecture
    expect(run).toMatchObject({ preset: 'custom', architectureName: 'small-resnet', status: 'completed' })
    expect(run.architecture.name).toBe('small-resnet')
    expect(run.architecture.layers.map((l) => l.kind)).toEqual(file.layers.map((l) => l.kind))
    expect(run.hparams.architecture).toEqual(run.architecture)
    // Three classes: the last dense layer has 64 × 3 + 3 parameters instead of Fashion-MNIST's 650.
    expect(run.parameterCount).toBe(77_674 - 650 + 195)
  })

  it('exports ONNX that onnxruntime-node runs as predict does on a PNG', async () => {
    const png = join(work, 'blob.png')
    const pixels = Uint8Array.from({ length: 784 }, (_, i) => (Math.hypot((i % 28) - 14, Math.floor(i / 28) - 12) < 8 ? 200 : 10))
    await sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(png)
    const predicted = await runCli(['predict', String(straight), png, '--top', '3', '--json', ...common])
    expect(predicted.code, predicted.stderr).toBe(0)
    const top = (JSON.parse(predicted.stdout) as { predictions: { top: { index: number; probability: number }[] }[] }).predictions[0].top

    const out = join(work, 'onnx')
    const exported = await runCli(['export', String(straight), '--model', out, '--format', 'onnx', ...common])
    expect(exported.code, exported.stderr).toBe(0)
    const name = readdirSync(out).find((f) => f.endsWith('.onnx'))!
    const session = await ort.InferenceSession.create(readFileSync(join(out, name)))
    const input = new ort.Tensor(
      'float32',
      Float32Array.from(pixels, (v) => v / 255),
      [1, 28, 28, 1]
    )
    const result = await session.run({ [session.inputNames[0]]: input })
    const probabilities = result[session.outputNames[0]].data as Float32Array
    expect(top).toHaveLength(3)
    for (const t of top) expect(Math.abs(probabilities[t.index] - t.probability)).toBeLessThan(1e-5)
  })

  it('refuses an architecture the dataset cannot take in one line, exit 2, nothing recorded', async () => {
    const count = () => {
      const handle = new Database(db, { readonly: true })
      try {
        return (handle.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n
      } finally {
        handle.close()
      }
    }
    const before = count()
    const tooDeep = join(work, 'too-deep.json')
    const pools = Array.from({ length: 6 }, () => ({ kind: 'maxPool', size: 2 }))
    writeFileSync(tooDeep, JSON.stringify({ name: 'too-deep', layers: [...pools, { kind: 'flatten' }, { kind: 'output' }] }))
    const r = await runCli(['train', '--arch', tooDeep, '--dataset', 'fashion3', '--epochs', '1', ...common])
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr.trim()).toMatch(
      /^atelier: Architecture too-deep: layer \d \(maxPool\): .*; change the architecture\. Nothing was started\.$/
    )
    expect(count()).toBe(before)
  })
})
