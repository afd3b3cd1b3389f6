/** The core's services the API handlers are built from; a module of its own so handler files need not import each other. */
import type { CoreOptions, Dialogs } from '../core-options'
import type { DatasetService } from '../dataset/dataset-service'
import type { ExportBuilders } from '../export/exported-file'
import type { ModelStore } from '../models/model-store'
import type { RunService } from '../runs/run-service'
import type { ModelService } from '../models/model-service'
import type { GroupService } from '../runs/group-service'
import type { SettingsStore } from '../settings'
import type { ArchitectureLibrary } from '../architectures/architecture-library'

export interface ApiHandlerDeps {
  runs: RunService
  models: ModelStore
  /** Seed-repeat groups and sweeps. */
  groups: GroupService
  dataset: DatasetService
  settings: SettingsStore
  dialogs: Dialogs
  cores: number
  options: CoreOptions
  dataDir: () => string
  /** What each export computes; the handlers save it through the dialogs. */
  exports: ExportBuilders
  /** Export, prediction and saliency of trained models (inference in a worker). */
  modelService: ModelService
  /** Saved, named, versioned architectures. */
  architectures: ArchitectureLibrary
}
