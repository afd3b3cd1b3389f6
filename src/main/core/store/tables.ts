/**
 * The run store's tables as Kysely sees them: schema version 10 of {@link MIGRATIONS} (SQLite) and
 * its PostgreSQL twin. JSON and timestamps are text on both engines; blobs are Buffers.
 */
import type { Generated } from 'kysely'

export interface RunsTable {
  id: Generated<number>
  name: string
  preset: string
  hparams: string
  status: Generated<string>
  created_at: string
  started_at: string | null
  finished_at: string | null
  error_message: string | null
  backend: string | null
  backend_info: string | null
  app_version: string
  seed: number
  dataset_checksum: string | null
  notes: Generated<string>
  tags: Generated<string>
  epochs_planned: number
  epochs_done: Generated<number>
  best_val_accuracy: number | null
  owner_pid: number | null
  group_id: number | null
  sweep_id: number | null
  version: Generated<number>
  dataset: Generated<string>
}

/** Metric columns are nullable: SQLite stores NaN as NULL, and both engines read NULL back as NaN. */
export interface EpochsTable {
  run_id: number
  epoch: number
  loss: number | null
  accuracy: number | null
  val_loss: number | null
  val_accuracy: number | null
  learning_rate: number | null
  duration_ms: number
}

export interface ResultsTable {
  run_id: number
  test_loss: number | null
  test_accuracy: number | null
  per_class: string
  confusion: string
  predicted: Buffer
  probabilities: Buffer
  batch_norm: string | null
}

export interface ModelFilesTable {
  run_id: number
  kind: 'checkpoint' | 'model'
  file: string
  format: string
  epoch: number
  bytes: number
  created_at: string
  sha256: string | null
}

export interface ResumePointsTable {
  run_id: number
  after_epoch: number
  kind: 'resumed' | 'extended'
  at: string
  test_accuracy: number | null
  test_loss: number | null
}

export interface SweepsTable {
  id: Generated<number>
  name: string
  preset: string
  spec: string
  created_at: string
}

export interface GroupsTable {
  id: Generated<number>
  name: string
  preset: string
  sweep_id: number | null
  created_at: string
}

export interface StoreMetaTable {
  key: string
  value: string
}

export interface DatasetsTable {
  name: string
  title: string
  source: string
  content_hash: string | null
  height: number
  width: number
  channels: number
  class_names: string
  train_count: number
  test_count: number
  preprocessing: string
  location: string
  report: string | null
  created_at: string
}

/** Who trains a run (schema v9): a worker's lease, renewed while it trains. */
export interface RunLeasesTable {
  run_id: number
  owner: string
  until_ms: number
  cancel_requested: Generated<number>
}

/** What `db copy` copied into this store (schema v10). */
export interface CopiedFromTable {
  origin: string
  target_id: number
}

/** A saved architecture, one row per version (schema v11). */
export interface ArchitecturesTable {
  name: string
  version: number
  /** The canonical JSON: keys sorted, defaults filled in, no `$schema`. */
  architecture: string
  created_at: string
}

/** Every table of the run store, by name. */
export interface DB {
  runs: RunsTable
  epochs: EpochsTable
  results: ResultsTable
  model_files: ModelFilesTable
  resume_points: ResumePointsTable
  sweeps: SweepsTable
  groups: GroupsTable
  store_meta: StoreMetaTable
  datasets: DatasetsTable
  run_leases: RunLeasesTable
  copied_from: CopiedFromTable
  architectures: ArchitecturesTable
}
