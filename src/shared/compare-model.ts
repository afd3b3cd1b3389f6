/**
 * What Compare shows, computed once from the runs and groups: each compared run or group with its
 * label and colour, every metric's curve (a group's mean with its spread), the epochs marked on the
 * curves (learning-rate drops, resumes), each one's test accuracy with its members, and the
 * hyperparameters that differ. Pure: the Compare view draws it on screen (again as live epochs
 * arrive) and the PDF report draws it on paper, so the two cannot disagree.
 */
import type { RunDetail } from './run'
import { BUILTINS, DEFAULT_DATASET } from './dataset'
import { flattenObject } from './flatten'
import { hparamsSchema } from './hparams'
import { entityColorMap } from './palette'
import { meanCurve, spreadOf, type CurvePoint, type Spread } from './spread'

/** The four curve charts, with the titles and axis names people read (never the raw record keys). */
export const COMPARE_METRICS = [
  { key: 'loss', title: 'Training loss', axis: 'Loss', file: 'loss' },
  { key: 'accuracy', title: 'Training accuracy', axis: 'Accuracy', file: 'accuracy' },
  { key: 'valLoss', title: 'Validation loss', axis: 'Validation loss', file: 'val_loss' },
  { key: 'valAccuracy', title: 'Validation accuracy', axis: 'Validation accuracy', file: 'val_accuracy' }
] as const
export type CompareMetricInfo = (typeof COMPARE_METRICS)[number]
export type CompareMetric = CompareMetricInfo['key']

/** One compared thing: a run, or a group of seed repeats standing for its members. */
export interface CompareEntity {
  /** `r<id>` or `g<id>`: unique across runs and groups. */
  key: string
  kind: 'run' | 'group'
  id: number
  name: string
  /** `#12 name` for a run, `g3 name` for a group: the name every chart, table and sentence uses. */
  label: string
  /** Its colour on every chart, on screen and on paper. */
  color: string
  /** The run itself, or the group's members. */
  runs: RunDetail[]
}

/** One entity's curve of one metric: per epoch the run's value (n = 1, no std), or the group's mean and spread. */
export interface EntityCurve {
  key: string
  points: CurvePoint[]
}

/** An epoch marked on the curves: where the learning rate dropped, or where training resumed or was extended. */
export interface CurveMark {
  /** The entity it belongs to. */
  key: string
  kind: 'lr-drop' | 'resume'
  /** Where the mark is drawn (a resume sits between the last epoch before it and the first after). */
  epoch: number
  /** Short text beside the mark, e.g. `LR 0.0005`, `resumed`, `LR ↓ 2/3 seeds`. */
  label: string
}

/** Test accuracy of an entity: a run's own (n = 1), or the spread over a group's finished members, each listed. */
export interface EntityAccuracy {
  key: string
  /** Null while nothing has finished. */
  spread: Spread | null
  /** A group's finished members (empty for a run). */
  members: Array<{ runId: number; seed: number; accuracy: number }>
}

/** One column of the hyperparameter diff: a run, or a group (its seed written as the range of its members' seeds). */
export interface DiffColumn {
  key: string
  /** `#12` or `g3`. */
  heading: string
  name: string
  hparams: unknown
}

/** One hyperparameter that differs between the compared runs or groups. */
export interface HparamDiffRow {
  /** Dotted path, e.g. `reduceLrOnPlateau.factor`. */
  path: string
  /** One value per column, in column order. */
  values: unknown[]
}

/** One dataset among the compared runs, with the entities (keys) that trained on it. */
export interface CompareDataset {
  name: string
  title: string
  keys: string[]
}

export interface CompareModel {
  /** Runs first, then groups, each in the order asked. */
  entities: CompareEntity[]
  /** The datasets the compared runs trained on, in order of first appearance (one for a usual comparison). */
  datasets: CompareDataset[]
  /**
   * Null when every compared run trained on one dataset; otherwise the caption the curves carry: their
   * curves are overlaid, but they were trained and tested on different images.
   */
  datasetCaption: string | null
  curves: Record<CompareMetric, EntityCurve[]>
  marks: CurveMark[]
  testAccuracy: EntityAccuracy[]
  columns: DiffColumn[]
  hparamDiff: HparamDiffRow[]
}

/** What is compared: runs, and groups with their members. */
export interface CompareInput {
  runs: readonly RunDetail[]
  groups: ReadonlyArray<{ id: number; name: string; members: readonly RunDetail[] }>
}

export function compareModel(input: CompareInput): CompareModel {
  const bare = [
    ...input.runs.map((r) => ({ key: `r${r.id}`, kind: 'run' as const, id: r.id, name: r.name, label: `#${r.id} ${r.name}`, runs: [r] })),
    ...input.groups.map((g) => ({
      key: `g${g.id}`,
      kind: 'group' as const,
      id: g.id,
      name: g.name,
      label: `g${g.id} ${g.name}`,
      runs: [...g.members]
    }))
  ]
  const colors = entityColorMap(bare)
  const entities: CompareEntity[] = bare.map((e) => ({ ...e, color: colors.get(e.key) ?? '#888888' }))
  const curves = Object.fromEntries(
    COMPARE_METRICS.map((m) => [m.key, entities.map((e) => ({ key: e.key, points: meanCurve(e.runs, m.key) }))])
  ) as Record<CompareMetric, EntityCurve[]>
  const columns = entities.flatMap((e): DiffColumn[] => {
    const first = e.runs[0]
    if (!first) return []
    if (e.kind === 'run') return [{ key: e.key, heading: `#${e.id}`, name: e.name, hparams: first.hparams }]
    const seeds = e.runs.map((r) => r.seed)
    return [
      { key: e.key, heading: `g${e.id}`, name: e.name, hparams: { ...first.hparams, seed: `${Math.min(...seeds)}–${Math.max(...seeds)}` } }
    ]
  })
  const datasets = comparedDatasets(entities)
  return {
    entities,
    datasets,
    datasetCaption: datasetCaption(datasets, entities),
    curves,
    marks: entities.flatMap(curveMarks),
    testAccuracy: entities.map((e) => ({
      key: e.key,
      spread: spreadOf(e.runs.map((r) => r.metrics?.testAccuracy ?? null)),
      members:
        e.kind === 'run' ? [] : e.runs.flatMap((r) => (r.metrics ? [{ runId: r.id, seed: r.seed, accuracy: r.metrics.testAccuracy }] : []))
    })),
    columns,
    hparamDiff: hparamDiff(columns)
  }
}

/** The datasets of the entities' runs; a group whose members differ (it should not happen) is listed under each. */
function comparedDatasets(entities: readonly CompareEntity[]): CompareDataset[] {
  const byName = new Map<string, CompareDataset>()
  for (const e of entities) {
    for (const r of e.runs) {
      // Records without a dataset (none reach here from the store) trained on the only dataset there was.
      const ds = r.dataset ?? { name: DEFAULT_DATASET, title: BUILTINS[DEFAULT_DATASET].title }
      const d = byName.get(ds.name) ?? { name: ds.name, title: ds.title, keys: [] }
      if (!d.keys.includes(e.key)) d.keys.push(e.key)
      byName.set(d.name, d)
    }
  }
  return [...byName.values()]
}

/** "Different datasets: MNIST (#3 a, #4 b), Fashion-MNIST (#5 c). …", or null for one dataset. */
function datasetCaption(datasets: readonly CompareDataset[], entities: readonly CompareEntity[]): string | null {
  if (datasets.length < 2) return null
  const label = new Map(entities.map((e) => [e.key, e.label]))
  const parts = datasets.map((d) => `${d.title} (${d.keys.map((k) => label.get(k) ?? k).join(', ')})`)
  return (
    `These runs trained on different datasets: ${parts.join('; ')}. Their curves are overlaid, but they were trained and tested ` +
    'on different images, so their accuracies do not measure the same thing and no paired test compares them.'
  )
}

/** Epochs whose learning rate is lower than the epoch before. */
export function lrDrops(history: RunDetail['history']): Array<{ epoch: number; from: number; to: number }> {
  const out: Array<{ epoch: number; from: number; to: number }> = []
  for (let i = 1; i < history.length; i++) {
    const from = history[i - 1]!.learningRate
    const to = history[i]!.learningRate
    if (to < from) out.push({ epoch: history[i]!.epoch, from, to })
  }
  return out
}

/** A run's own marks; a group's say how many of its seeds dropped the rate or resumed there. */
function curveMarks(e: CompareEntity): CurveMark[] {
  if (e.kind === 'run') {
    const run = e.runs[0]
    if (!run) return []
    return [
      ...lrDrops(run.history).map((d) => ({ key: e.key, kind: 'lr-drop' as const, epoch: d.epoch, label: `LR ${d.to.toPrecision(2)}` })),
      ...(run.resumePoints ?? []).map((p) => ({
        key: e.key,
        kind: 'resume' as const,
        epoch: p.afterEpoch + 0.5,
        label: p.kind === 'resumed' ? 'resumed' : 'trained further'
      }))
    ]
  }
  const n = e.runs.length
  const count = (epochs: number[]) =>
    [...epochs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<number, number>())].sort((a, b) => a[0] - b[0])
  return [
    ...count(e.runs.flatMap((r) => lrDrops(r.history).map((d) => d.epoch))).map(([epoch, k]) => ({
      key: e.key,
      kind: 'lr-drop' as const,
      epoch,
      label: `LR ↓ ${k}/${n} seeds`
    })),
    ...(['resumed', 'extended'] as const).flatMap((kind) =>
      count(e.runs.flatMap((r) => (r.resumePoints ?? []).flatMap((p) => (p.kind === kind ? [p.afterEpoch + 0.5] : [])))).map(
        ([epoch, k]) => ({
          key: e.key,
          kind: 'resume' as const,
          epoch,
          label: `${kind === 'resumed' ? 'resumed' : 'trained further'} ${k}/${n} seeds`
        })
      )
    )
  ]
}

// Rows follow the schema's field order (preset first), whatever order the records arrive in.
const FIELD_ORDER: string[] = Object.keys(hparamsSchema.shape)
const rank = (path: string): number => {
  const i = FIELD_ORDER.indexOf(path.split('.')[0] ?? '')
  return i < 0 ? FIELD_ORDER.length : i
}

/** Hyperparameters (and seed) whose values are not the same across all columns, in the schema's order. */
export function hparamDiff(columns: ReadonlyArray<{ hparams: unknown }>): HparamDiffRow[] {
  const flats = columns.map((c) => flattenObject(withArchitectureLabel(c.hparams)))
  const paths = [...new Set(flats.flatMap((m) => [...m.keys()]))].sort((a, b) => rank(a) - rank(b))
  return paths
    .map((path) => ({ path, values: flats.map((m) => m.get(path)) }))
    .filter((row) => row.values.some((v) => JSON.stringify(v) !== JSON.stringify(row.values[0])))
}

/**
 * A custom run's architecture as one diff cell, `small-resnet · 9 layers · 3fa9c2`: its name, size and a
 * digest of the whole, so two architectures that share a name still differ (a preset's is null: its preset row says it).
 */
function withArchitectureLabel(hparams: unknown): unknown {
  const architecture = (hparams as { architecture?: { name?: unknown; layers?: unknown } } | null)?.architecture
  // A preset's null would read "all" (the table's word for a null subset): show it as absent.
  if (architecture === null) return { ...(hparams as object), architecture: undefined }
  if (!architecture || typeof architecture !== 'object') return hparams
  const layers = Array.isArray(architecture.layers) ? architecture.layers.length : 0
  const label = `${String(architecture.name)} · ${layers} layer${layers === 1 ? '' : 's'} · ${digest(JSON.stringify(architecture))}`
  return { ...(hparams as object), architecture: label }
}

/** FNV-1a of a string, 6 hex digits: enough to tell architectures apart in a table, not a checksum. */
function digest(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return ((h >>> 0) & 0xffffff).toString(16).padStart(6, '0')
}

/** Lower and upper edge of a spread: ± sample std, or min – max. */
export type SpreadKind = 'std' | 'minmax'
export const SPREAD_LABELS: Record<SpreadKind, string> = { std: '± sample std (n − 1)', minmax: 'min – max' }
export function spreadBounds(p: { mean: number; std: number | null; min: number; max: number }, kind: SpreadKind): [number, number] {
  if (kind === 'minmax') return [p.min, p.max]
  const std = p.std ?? 0
  return [p.mean - std, p.mean + std]
}
