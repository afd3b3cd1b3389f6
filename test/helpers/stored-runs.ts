/** Finished runs written straight into a core's database, with predictions chosen by the test (no training). */
import { defaultHparams } from '@shared/hparams'
import { BUILTINS, DEFAULT_DATASET } from '@shared/dataset'
import type { PresetId } from '@shared/presets'
import type { EpochRecord, RunSummary } from '@shared/run'
import type { Core } from '@main/core/core'

/** What to store. */
export interface StoredRunOptions {
  name: string
  /** True label of every test image. */
  labels: ArrayLike<number>
  /** Which images the run gets right; the others it calls the next class. */
  right: (index: number) => boolean
  preset?: PresetId
  /** Per-epoch history; default three plausible epochs. */
  history?: EpochRecord[]
  learningRate?: number
  /** The dataset it trained on (default Fashion-MNIST) and the checksum it recorded (default none). */
  dataset?: string
  datasetChecksum?: string | null
  /** Classes of that dataset (default 10). */
  classCount?: number
}

const defaultHistory = (): EpochRecord[] =>
  [1, 2, 3].map((epoch) => ({
    epoch,
    loss: 1 / epoch,
    accuracy: 0.7 + epoch / 50,
    valLoss: 1.1 / epoch,
    valAccuracy: 0.68 + epoch / 50,
    learningRate: 0.001,
    durationMs: 1000
  }))

/** Inserts a completed run whose stored metrics agree with its predictions. */
export async function storeFinishedRun(core: Core, o: StoredRunOptions): Promise<RunSummary> {
  const store = core.store
  const n = o.labels.length
  const preset = o.preset ?? 'dense'
  const history = o.history ?? defaultHistory()
  const hparams = {
    ...defaultHparams(preset),
    epochs: history.length,
    learningRate: o.learningRate ?? 0.001,
    ...(o.dataset ? { dataset: o.dataset } : {})
  }
  const NUM_CLASSES = o.classCount ?? BUILTINS[DEFAULT_DATASET].classNames.length
  const run = await store.runs.insert({ name: o.name, hparams, appVersion: 'test' })
  await store.runs.markRunning(run.id, {
    backendInfo: { name: 'wasm', threads: 1, versions: { tfjs: 'test' } },
    datasetChecksum: o.datasetChecksum ?? null,
    startedAt: new Date().toISOString()
  })
  await store.transaction(async (tx) => {
    for (const r of history) await tx.epochs.append(run.id, r)
  })
  const predicted = new Uint8Array(n)
  const probabilities = new Float32Array(n * NUM_CLASSES).fill(0.01)
  const confusion = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0))
  for (let i = 0; i < n; i++) {
    const label = o.labels[i]!
    const p = o.right(i) ? label : (label + 1) % NUM_CLASSES
    predicted[i] = p
    probabilities[i * NUM_CLASSES + p] = 0.91
    confusion[label]![p]!++
  }
  const correct = confusion.reduce((s, row, c) => s + row[c]!, 0)
  const perClass = confusion.map((row, c) => {
    const support = row.reduce((s, v) => s + v, 0)
    const predictedAs = confusion.reduce((s, r) => s + r[c]!, 0)
    const precision = predictedAs ? row[c]! / predictedAs : 0
    const recall = support ? row[c]! / support : 0
    return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support }
  })
  await store.results.save(run.id, { testLoss: 0.4, testAccuracy: correct / n, perClass, confusion }, { predicted, probabilities })
  return await store.runs.finish(run.id, { status: 'completed', finishedAt: new Date().toISOString() })
}
