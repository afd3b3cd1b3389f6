/** `list`, `show` and `export`: read the database the app uses. */
import { DEFAULT_DATASET } from '@shared/dataset'
import type { RunDetail } from '@shared/run'
import { describeRecipe } from '@shared/recipe'
import { inferRunArchitecture, modelName, modelTitle, runArchitecture } from '@shared/run-architecture'
import { exportToPath } from './export-to-path'
import { exportModelFiles } from './model-commands'
import { runIdArg, UsageError, type Flags } from './args'
import { cliPaths, openCore } from './context'
import { batchNormLine, duration, megabytes, pct, table } from './format'

async function withCore<T>(flags: Flags, body: (core: Awaited<ReturnType<typeof openCore>>) => Promise<T> | T): Promise<T> {
  const core = await openCore(cliPaths(flags))
  try {
    return await body(core)
  } finally {
    await core.shutdown({ cancelRunning: false })
  }
}

export function listCommand(flags: Flags): Promise<number> {
  return withCore(flags, async (core) => {
    const runs = await core.runs.list()
    if (flags.json) {
      process.stdout.write(JSON.stringify(runs) + '\n')
      return 0
    }
    if (runs.length === 0) {
      process.stdout.write('No runs yet. Start one with: npm run cli -- train --model dense --epochs 2\n')
      return 0
    }
    const rows = runs.map((r) => [
      r.id,
      r.name,
      modelName(r),
      String(r.hp['dataset'] ?? DEFAULT_DATASET),
      r.status,
      `${r.epochsDone}/${r.epochsPlanned}`,
      pct(r.bestValAccuracy),
      pct(r.testAccuracy),
      r.epochsDone > 0 ? duration(r.trainingMs / 1000) : '—',
      r.backend ?? '—',
      r.createdAt.slice(0, 16).replace('T', ' ')
    ])
    process.stdout.write(
      table(['id', 'name', 'preset', 'dataset', 'status', 'epochs', 'best val', 'test acc', 'training', 'backend', 'created'], rows) + '\n'
    )
    return 0
  })
}

/**
 * `dataset MNIST (mnist) · 10 classes · 28×28×1 · checksum 6e1b8248a371…`: what the run trained on (the
 * checksum of what the trainer loaded; before it started, the dataset's recorded content hash).
 */
export function datasetLine(run: Pick<RunDetail, 'dataset' | 'datasetChecksum'>): string {
  const d = run.dataset
  const hash = run.datasetChecksum ?? d.contentHash
  const checksum = hash ? `${hash.slice(0, 12)}…` : '—'
  return (
    `dataset ${d.title} (${d.name}) · ${d.classNames.length} classes · ${d.shape.height}×${d.shape.width}×${d.shape.channels} · ` +
    `checksum ${checksum}`
  )
}

/** Test metrics, the per-class table and the confusion matrix, named with the classes of the run's dataset. */
export function metricsLines(run: Pick<RunDetail, 'metrics' | 'dataset'>): string[] {
  const m = run.metrics
  if (!m) return []
  const name = (k: number): string => run.dataset.classNames[k] ?? `class ${k}`
  return [
    '',
    `test accuracy ${pct(m.testAccuracy)}  test loss ${m.testLoss.toFixed(4)}`,
    ...(m.batchNorm ? [batchNormLine(m.batchNorm)] : []),
    '',
    table(
      ['class', 'precision', 'recall', 'f1', 'support'],
      m.perClass.map((c, k) => [name(k), pct(c.precision), pct(c.recall), pct(c.f1), c.support])
    ),
    '',
    'confusion matrix (rows: true class, columns: predicted)',
    table(
      ['true \\ pred', ...m.confusion.map((_, k) => String(k))],
      m.confusion.map((row, k) => [`${k} ${name(k)}`, ...row])
    )
  ]
}

export function showCommand(id: string | undefined, flags: Flags): Promise<number> {
  const runId = runIdArg(id, 'show')
  return withCore(flags, async (core) => {
    const run = await core.runs.get(runId)
    const architecture = runArchitecture(run.hparams)
    const parameterCount = parametersOf(run)
    if (flags.json) {
      // The architecture it trained, whether a preset's or its own, and its size on the run's dataset.
      process.stdout.write(JSON.stringify({ ...run, architecture, parameterCount }) + '\n')
      return 0
    }
    const out: string[] = [
      `run ${run.id}: ${run.name}`,
      `preset ${run.preset} · status ${run.status} · backend ${run.backend ?? '—'} · seed ${run.seed} · created ${run.createdAt}`,
      architectureLine(run),
      datasetLine(run),
      `recipe ${describeRecipe(run.hparams.recipe)}`,
      // The layers are in show --json and "arch check"; here they would bury the line.
      `hyperparameters ${JSON.stringify({ ...run.hparams, architecture: undefined })}`
    ]
    if (run.errorMessage) out.push(`error: ${run.errorMessage}`)
    const info = await core.models.modelInfo(runId)
    out.push(
      `model ${info.modelEpoch === null ? '—' : `epoch ${info.modelEpoch}, ${megabytes(info.modelBytes)}`} · ` +
        `checkpoint ${info.checkpointEpoch === null ? '—' : `epoch ${info.checkpointEpoch}, ${megabytes(info.checkpointBytes)}`}`
    )
    for (const p of run.resumePoints) {
      out.push(
        p.kind === 'resumed'
          ? `resumed after epoch ${p.afterEpoch} (${p.at})`
          : `extended after epoch ${p.afterEpoch} (${p.at}); test accuracy before: ${pct(p.previousTestAccuracy)}`
      )
    }
    if (run.history.length) {
      out.push(
        '',
        table(
          ['epoch', 'loss', 'acc', 'val_loss', 'val_acc', 'lr', 'seconds'],
          run.history.map((e) => [
            e.epoch,
            e.loss.toFixed(4),
            pct(e.accuracy),
            e.valLoss.toFixed(4),
            pct(e.valAccuracy),
            e.learningRate.toPrecision(3),
            (e.durationMs / 1000).toFixed(1)
          ])
        )
      )
    }
    out.push(...metricsLines(run))
    process.stdout.write(out.join('\n') + '\n')
    return 0
  })
}

/** `architecture small-resnet · 77,674 parameters`, or `architecture Shallow CNN (cnn-shallow) · …` for a preset: what the run trained, sized for its dataset. */
export function architectureLine(run: Pick<RunDetail, 'preset' | 'architectureName' | 'hparams' | 'dataset'>): string {
  const count = parametersOf(run)
  const id = run.preset === 'custom' ? '' : ` (${run.preset})`
  return `architecture ${modelTitle(run)}${id} · ${count === null ? '—' : count.toLocaleString('en-US')} parameters`
}

/** Total parameters of the run's architecture on its dataset, or null when it cannot be inferred (a run that never could train). */
function parametersOf(run: Pick<RunDetail, 'hparams' | 'dataset'>): number | null {
  const result = inferRunArchitecture(run.hparams, run.dataset.shape, run.dataset.classNames.length)
  return result.ok ? result.totalParams : null
}

export function exportCommand(id: string | undefined, flags: Flags): Promise<number> {
  const runId = runIdArg(id, 'export')
  if (flags.format && !flags.model) throw new UsageError('--format goes with --model DIR (the folder the model is written to)')
  if (!flags.predictions && !flags.run && !flags.model) {
    throw new UsageError('export needs --predictions FILE.csv, --run FILE.json and/or --model DIR --format tfjs|onnx')
  }
  if (flags.model && flags.format !== 'tfjs' && flags.format !== 'onnx') {
    throw new UsageError(`--model DIR needs --format tfjs or --format onnx${flags.format ? `, not "${flags.format}"` : ''}`)
  }
  return withCore(flags, async (core) => {
    const run = await core.runs.get(runId)
    const predictions = await core.runs.predictions(runId)
    if (flags.predictions) {
      if (!predictions) throw new UsageError(`run ${runId} is ${run.status} and has no predictions (they are stored when a run completes)`)
      await exportToPath(core, 'export.predictions', { id: runId }, flags.predictions)
      process.stdout.write(`wrote ${predictions.predicted.length} predictions to ${flags.predictions}\n`)
    }
    if (flags.run) {
      await exportToPath(core, 'export.run', { id: runId }, flags.run)
      process.stdout.write(`wrote run ${runId} to ${flags.run}\n`)
    }
    if (flags.model) await exportModelFiles({ core, runId, dir: flags.model, format: flags.format as 'tfjs' | 'onnx' })
    return 0
  })
}

/** `drop-checkpoints`: frees the disk of completed runs' checkpoints; their final models stay. */
export function dropCheckpointsCommand(flags: Flags): Promise<number> {
  return withCore(flags, async (core) => {
    const dropped = await core.models.dropCheckpoints()
    const left = await core.models.totalBytes()
    process.stdout.write(
      `dropped the checkpoints of ${dropped.runs} completed run${dropped.runs === 1 ? '' : 's'} (${megabytes(dropped.bytes)}); ` +
        `model files now use ${megabytes(left.total)} in ${core.models.modelsDir}\n`
    )
    return 0
  })
}
