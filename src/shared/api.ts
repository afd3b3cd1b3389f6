/**
 * The renderer ↔ main contract, declared once. Preload exposes it as `window.atelier`, main
 * validates every request with the schemas below (the renderer is untrusted), and the renderer
 * client and the browser test harness are typed from it.
 */
import { RUN_PLACES, type RunPlace, type TeamStatus } from './team'
import { z } from 'zod'
import { hparamsSchema, type FieldError } from './hparams'
import type { TrainerPhaseChange, TrainerProgress } from './trainer-protocol'
import type { EpochRecord, ModelInfo, Predictions, RunDetail, RunEstimate, RunSummary } from './run'
import { compareSubjectSchema, type CompareSubject, type Significance } from './significance'
import { MAX_REPEATS, MIN_REPEATS, type GroupDetail, type GroupSummary, type SweepDetail, type SweepSummary } from './group'
import { sweepSpecSchema, type SweepSpec } from './sweep'
import {
  savedArchitectureNameSchema,
  type SavedArchitecture,
  type SavedArchitectureResult,
  type SavedArchitectureSummary
} from './architecture/saved-architecture'
import {
  BUILTIN_DATASETS,
  datasetNameSchema,
  folderImportSchema,
  MAX_CLASSES,
  MAX_IMPORT_SIDE,
  type BuiltinDataset,
  type DatasetInfo,
  type DatasetProgress,
  type DatasetSamples,
  type FolderImportOptions
} from './dataset'

const id = z.number().int().positive()
const empty = z.object({}).strict()
/** Where new runs train; absent means here. */
const runPlace = z.enum(RUN_PLACES)

export * from './api-types'
import type {
  AppInfo,
  DatasetStatus,
  DatasetUpload,
  DroppedCheckpoints,
  ModelFormat,
  ModelStorage,
  QueueStatus,
  RunDiagnosisEntry,
  SavedFile,
  Settings,
  TestSet
} from './api-types'
import { DATASET_FILE_NAMES, EXPORT_KINDS, MODEL_FORMATS, settingsSchema } from './api-types'

/** One image as the model sees it (height × width × channels bytes; the model's input size is checked by the handler). */
const modelPixels = z.instanceof(Uint8Array).refine((p) => p.length >= 1 && p.length <= MAX_IMPORT_SIDE * MAX_IMPORT_SIDE * 3, {
  message: 'must be one image of the model’s input size'
})

/** Declares a channel: its request schema and (as a phantom type) its response. */
function channel<Req extends z.ZodType, Res>(request: Req): { request: Req; response: Res } {
  return { request, response: undefined as unknown as Res }
}

export const API = {
  'app.info': channel<typeof empty, AppInfo>(empty),
  'settings.get': channel<typeof empty, Settings>(empty),
  'settings.update': channel<z.ZodType<Partial<Settings>>, Settings>(settingsSchema.partial().strict()),
  'dataset.status': channel<typeof empty, DatasetStatus>(empty),
  'dataset.download': channel<typeof empty, DatasetStatus>(empty),
  /** Imports the four files from a folder; `folder: null` asks the person with a dialog. */
  'dataset.import': channel<z.ZodType<{ folder: string | null }>, DatasetStatus>(
    z.object({ folder: z.string().min(1).nullable() }).strict()
  ),
  /** A dataset's test set (Fashion-MNIST when no name is given). */
  'dataset.testSet': channel<z.ZodType<{ name?: string }>, TestSet>(z.object({ name: datasetNameSchema.optional() }).strict()),
  /** Every dataset: the built-ins (on disk or not) and the imported folders. */
  'datasets.list': channel<typeof empty, DatasetInfo[]>(empty),
  'datasets.get': channel<z.ZodType<{ name: string }>, DatasetInfo>(z.object({ name: datasetNameSchema }).strict()),
  /** Up to `perClass` images of each class and the class counts (sample grid, imbalance chart). */
  'datasets.samples': channel<z.ZodType<{ name: string; perClass: number }>, DatasetSamples>(
    z.object({ name: datasetNameSchema, perClass: z.number().int().min(1).max(32) }).strict()
  ),
  /** Downloads a built-in's official files (md5-verified, atomic), with `dataset.progress` events. */
  'datasets.download': channel<z.ZodType<{ name: BuiltinDataset }>, DatasetInfo>(z.object({ name: z.enum(BUILTIN_DATASETS) }).strict()),
  /** Imports a built-in's official files from a folder (`folder: null` asks with a dialog). */
  'datasets.importOfficial': channel<z.ZodType<{ name: BuiltinDataset; folder: string | null }>, DatasetInfo>(
    z.object({ name: z.enum(BUILTIN_DATASETS), folder: z.string().min(1).nullable() }).strict()
  ),
  /** Imports a folder of images (one subfolder per class, optionally under `train/` and `test/`) as a new dataset. */
  'datasets.addFolder': channel<z.ZodType<FolderImportOptions>, DatasetInfo>(folderImportSchema),
  /** Asks for a folder with the app's dialog (null when cancelled or when the shell has none). */
  'datasets.pickFolder': channel<typeof empty, { folder: string | null }>(empty),
  /** Stops a running download or import of that dataset; what it made so far is removed. */
  'datasets.cancel': channel<z.ZodType<{ name: string }>, { cancelled: boolean }>(z.object({ name: datasetNameSchema }).strict()),
  /** Removes a dataset; refused while runs use it unless `withRuns` (those runs are deleted too). */
  'datasets.remove': channel<z.ZodType<{ name: string; withRuns: boolean }>, { removed: string; runsDeleted: number }>(
    z.object({ name: datasetNameSchema, withRuns: z.boolean() }).strict()
  ),
  'runs.list': channel<typeof empty, RunSummary[]>(empty),
  /** Runs that diverged, ended at chance level or whose batch norm had not settled, with what to try; healthy runs are left out. */
  'runs.diagnoses': channel<typeof empty, RunDiagnosisEntry[]>(empty),
  'runs.get': channel<z.ZodType<{ id: number }>, RunDetail>(z.object({ id }).strict()),
  'runs.getMany': channel<z.ZodType<{ ids: number[] }>, RunDetail[]>(z.object({ ids: z.array(id).min(1).max(100) }).strict()),
  'runs.predictions': channel<z.ZodType<{ id: number }>, Predictions | null>(z.object({ id }).strict()),
  'runs.start': channel<z.ZodType<{ hparams: z.infer<typeof hparamsSchema>; name?: string }>, RunSummary>(
    z.object({ hparams: hparamsSchema, name: z.string().trim().min(1).max(200).optional() }).strict()
  ),
  /** Queues the four seed presets with their defaults (the original notebook's experiment). */
  'runs.startSeedPresets': channel<z.ZodType<{ epochs?: number }>, RunSummary[]>(
    z.object({ epochs: z.number().int().min(1).max(500).optional() }).strict()
  ),
  /** Expected training time of each run, from past completed runs of its preset in this store (same order). */
  'runs.estimate': channel<z.ZodType<{ hparams: z.infer<typeof hparamsSchema>[] }>, RunEstimate[]>(
    z.object({ hparams: z.array(hparamsSchema).min(1).max(100) }).strict()
  ),
  'runs.rerun': channel<z.ZodType<{ id: number }>, RunSummary>(z.object({ id }).strict()),
  'runs.cancel': channel<z.ZodType<{ id: number }>, RunSummary>(z.object({ id }).strict()),
  'runs.update': channel<z.ZodType<{ id: number; name?: string; notes?: string; tags?: string[] }>, RunSummary>(
    z
      .object({
        id,
        name: z.string().trim().min(1).max(200).optional(),
        notes: z.string().max(20000).optional(),
        tags: z.array(z.string().trim().min(1).max(40)).max(20).optional()
      })
      .strict()
  ),
  'runs.delete': channel<z.ZodType<{ ids: number[] }>, { deleted: number }>(z.object({ ids: z.array(id).min(1).max(10000) }).strict()),
  'queue.status': channel<typeof empty, QueueStatus>(empty),
  /** A team store's workers (what each trains, its last heartbeat) and how many runs wait for one; `local` for a SQLite store. */
  'team.status': channel<typeof empty, TeamStatus>(empty),
  /** Records a run as queued in the team store for any worker to train (a SQLite store refuses: it has no workers). */
  'runs.submit': channel<z.ZodType<{ hparams: z.infer<typeof hparamsSchema>; name?: string }>, RunSummary>(
    z.object({ hparams: hparamsSchema, name: z.string().trim().min(1).max(200).optional() }).strict()
  ),
  /** Writes a run as JSON through a save dialog. */
  'export.run': channel<z.ZodType<{ id: number }>, SavedFile>(z.object({ id }).strict()),
  /** Writes a run's predictions as CSV (`index,label,label_name,predicted,predicted_name,confidence`) through a save dialog. */
  'export.predictions': channel<z.ZodType<{ id: number }>, SavedFile>(z.object({ id }).strict()),
  /** Writes content the renderer made (chart PNG/SVG, chart data CSV) through a save dialog. */
  'export.file': channel<
    z.ZodType<{ suggestedName: string; kind: (typeof EXPORT_KINDS)[number]; content: string | Uint8Array }>,
    SavedFile
  >(
    z
      .object({
        suggestedName: z.string().min(1).max(200),
        kind: z.enum(EXPORT_KINDS),
        content: z.union([z.string().max(50_000_000), z.instanceof(Uint8Array)])
      })
      .strict()
  ),
  /** Imports the four files the person picked or dropped (no folder needed), verified like a folder import. */
  'dataset.importFiles': channel<z.ZodType<{ files: DatasetUpload[] }>, DatasetStatus>(
    z
      .object({
        files: z
          .array(z.object({ name: z.enum(DATASET_FILE_NAMES), content: z.instanceof(Uint8Array) }).strict())
          .min(1)
          .max(DATASET_FILE_NAMES.length)
      })
      .strict()
  ),
  /** Continues an interrupted, failed or cancelled run from its last checkpoint. */
  'runs.resume': channel<z.ZodType<{ id: number }>, RunSummary>(z.object({ id }).strict()),
  /** Trains a completed run `epochs` more epochs in place; its test metrics are evaluated again. */
  'runs.trainMore': channel<z.ZodType<{ id: number; epochs: number }>, RunSummary>(
    z.object({ id, epochs: z.number().int().min(1).max(499) }).strict()
  ),
  /** A run's stored model and checkpoint: epochs and bytes. */
  'runs.modelInfo': channel<z.ZodType<{ id: number }>, ModelInfo>(z.object({ id }).strict()),
  /** Disk used by all model files. */
  'models.storage': channel<typeof empty, ModelStorage>(empty),
  /** Deletes the checkpoints of completed runs, keeping their final models. */
  'models.dropCheckpoints': channel<typeof empty, DroppedCheckpoints>(empty),
  /** Writes a run's trained model through a save dialog: ONNX (`.onnx`) or the TF.js Layers format (`.zip` of model.json + weights). */
  'export.model': channel<z.ZodType<{ id: number; format: ModelFormat }>, SavedFile>(
    z.object({ id, format: z.enum(MODEL_FORMATS) }).strict()
  ),
  /** Class probabilities of a run's model for one image prepared as its dataset's preprocessing says (bytes 0–255, HWC). */
  'models.predict': channel<z.ZodType<{ id: number; pixels: Uint8Array }>, Float32Array>(z.object({ id, pixels: modelPixels }).strict()),
  /** Saliency map (height × width values, ∂p(class)/∂pixel, channels combined) of a drawn image or a test image, for the class asked for. */
  'models.saliency': channel<
    z.ZodType<{ id: number; pixels?: Uint8Array; testIndex?: number; classIndex: number; smooth?: boolean }>,
    Float32Array
  >(
    z
      .object({
        id,
        pixels: modelPixels.optional(),
        testIndex: z.number().int().min(0).optional(),
        classIndex: z
          .number()
          .int()
          .min(0)
          .max(MAX_CLASSES - 1),
        /** SmoothGrad: average over noisy copies (reads better, costs more). */
        smooth: z.boolean().optional()
      })
      .strict()
      .refine((r) => (r.pixels === undefined) !== (r.testIndex === undefined), { message: 'give either pixels or testIndex' })
  ),
  /** Is B really better than A: accuracies with 95 % intervals, McNemar's exact test (runs) or Welch's (groups), one sentence. */
  'compare.significance': channel<z.ZodType<{ a: CompareSubject; b: CompareSubject }>, Significance>(
    z.object({ a: compareSubjectSchema, b: compareSubjectSchema }).strict()
  ),
  /** Writes the given runs (the Experiments table as filtered, in its order) as one CSV through a save dialog. */
  'export.runsTable': channel<z.ZodType<{ ids: number[] }>, SavedFile>(z.object({ ids: z.array(id).min(1).max(100_000) }).strict()),
  /** Writes the Compare report of these runs as a PDF (charts as vectors, significance, diff, confusion matrix) through a save dialog. */
  // Runs and groups, as Compare shows them: two or more in all, or one group (its members side by side).
  'export.compareReport': channel<z.ZodType<{ ids: number[]; groupIds?: number[] }>, SavedFile>(
    z
      .object({ ids: z.array(id).max(100), groupIds: z.array(id).max(50).optional() })
      .strict()
      .refine((r) => r.ids.length + (r.groupIds?.length ?? 0) >= 2 || (r.groupIds?.length ?? 0) >= 1, {
        message: 'Pick two or more runs, or a group, to compare.'
      })
      .refine((r) => new Set(r.ids).size === r.ids.length && new Set(r.groupIds).size === (r.groupIds?.length ?? 0), {
        message: 'Each run and group can be in the report once.'
      })
  ),
  /** Queues `repeats` runs differing only in seed (base seed, base + 1, …), recorded as one group. */
  'runs.startRepeats': channel<
    z.ZodType<{ hparams: z.infer<typeof hparamsSchema>; name?: string; repeats: number; where?: RunPlace }>,
    GroupSummary
  >(
    z
      .object({
        hparams: hparamsSchema,
        name: z.string().trim().min(1).max(200).optional(),
        repeats: z.number().int().min(MIN_REPEATS).max(MAX_REPEATS),
        where: runPlace.optional()
      })
      .strict()
  ),
  /** Repeats run `id` over `repeats` seeds in all: the run plus `repeats − 1` new seeds after its own, as one new group. */
  'runs.repeat': channel<z.ZodType<{ id: number; repeats: number }>, GroupSummary>(
    z.object({ id, repeats: z.number().int().min(MIN_REPEATS).max(MAX_REPEATS) }).strict()
  ),
  /** Every group that has members, newest first, with mean ± sample std of its accuracies. */
  'groups.list': channel<typeof empty, GroupSummary[]>(empty),
  /** One group with its members' full records. */
  'groups.get': channel<z.ZodType<{ id: number }>, GroupDetail>(z.object({ id }).strict()),
  /** Several groups with their members' full records, in the order asked for. */
  'groups.getMany': channel<z.ZodType<{ ids: number[] }>, GroupDetail[]>(z.object({ ids: z.array(id).min(1).max(50) }).strict()),
  /** Queues a grid or random search (at most 200 runs), recorded as one sweep. */
  'sweeps.start': channel<z.ZodType<{ spec: SweepSpec; name?: string; where?: RunPlace }>, SweepSummary>(
    z.object({ spec: sweepSpecSchema, name: z.string().trim().min(1).max(200).optional(), where: runPlace.optional() }).strict()
  ),
  /** Every sweep that still has runs, newest first. */
  'sweeps.list': channel<typeof empty, SweepSummary[]>(empty),
  /** One sweep with every run's swept values and result, and its best configuration. */
  'sweeps.get': channel<z.ZodType<{ id: number }>, SweepDetail>(z.object({ id }).strict()),
  /** The latest version of every saved architecture. */
  'architectures.list': channel<typeof empty, SavedArchitectureSummary[]>(empty),
  /** One saved architecture: a version, or the latest. */
  'architectures.get': channel<z.ZodType<{ name: string; version?: number }>, SavedArchitecture>(
    z.object({ name: savedArchitectureNameSchema, version: id.optional() }).strict()
  ),
  /**
   * Saves an architecture under its name: a new version when it differs from the latest, else the latest
   * (`created` false). Checked as `arch check` checks a file; a malformed one is refused, nothing stored.
   */
  'architectures.save': channel<z.ZodType<{ architecture: unknown }>, SavedArchitectureResult>(
    z.object({ architecture: z.unknown() }).strict()
  ),
  /** Deletes every version of a saved architecture; runs keep the copy they trained. */
  'architectures.delete': channel<z.ZodType<{ name: string }>, { name: string; versions: number }>(
    z.object({ name: savedArchitectureNameSchema }).strict()
  )
} as const

export type Channel = keyof typeof API
export type RequestOf<C extends Channel> = z.infer<(typeof API)[C]['request']>
export type ResponseOf<C extends Channel> = (typeof API)[C]['response']

/** Declares an event: (as a phantom type) its payload. */
function event<Payload>(): Payload {
  return undefined as unknown as Payload
}

/**
 * Events main pushes to the renderer. Every shell forwards the names of this one map (EVENT_NAMES
 * is derived from it), so an event added here reaches the page without a second list to keep.
 */
export const EVENTS = {
  'runs.progress': event<TrainerProgress>(),
  'runs.epoch': event<{ runId: number; record: EpochRecord }>(),
  'runs.updated': event<RunSummary>(),
  'runs.deleted': event<{ ids: number[] }>(),
  /** What a run's trainer is doing (starting, loading data, training, evaluating); null once it stopped. */
  'runs.phase': event<TrainerPhaseChange>(),
  'dataset.progress': event<{ file: string; bytesDone: number; bytesTotal: number; bytesPerSec: number }>(),
  /** Progress of any dataset download or import. */
  'datasets.progress': event<DatasetProgress>(),
  /** The list changed (a dataset was added, downloaded, imported or removed). */
  'datasets.changed': event<{ name: string }>()
}
export type EventMap = typeof EVENTS
export type EventName = keyof EventMap
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[]

export const API_ERROR_CODES = ['invalid_request', 'unknown_channel', 'not_found', 'conflict', 'failed'] as const
export interface ApiError {
  code: (typeof API_ERROR_CODES)[number]
  message: string
  fieldErrors?: FieldError[]
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError }

/** What preload exposes as `window.atelier`. */
export interface AtelierApi {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>>
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void
}

/** IPC channel names used by the Electron transport. */
export const IPC_INVOKE = 'atelier:invoke'
export const IPC_EVENT_PREFIX = 'atelier:event:'
