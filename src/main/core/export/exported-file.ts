/**
 * What each export computes, apart from where it goes: the core makes a file's name and bytes, and
 * the shell decides its destination (a save dialog and a write in the app, a download in the browser).
 */
import type { EXPORT_KINDS, RequestOf } from '@shared/api'
import type { ModelService } from '../models/model-service'
import type { DatasetService } from '../dataset/dataset-service'
import { conflict } from '../errors'
import type { RunService } from '../runs/run-service'
import type { GroupDetail } from '@shared/group'
import { buildCompareReport } from './compare-report/compare-report'
import { predictionsCsv } from './predictions-csv'
import { runJson } from './run-json'
import { runsTableCsv } from './runs-table-csv'
import { testLabelsFor } from '../stats/significance-service'
import { exportFileName, normaliseFileName } from '@shared/file-names'

/** What a file the core exports is: the renderer's chart kinds, trained models and reports. */
export type FileKind = (typeof EXPORT_KINDS)[number] | 'onnx' | 'zip' | 'pdf'

/** One exported file, ready to be saved or downloaded. */
export interface ExportedFile {
  /** A file-name-safe suggestion, e.g. `dense 3.json`. */
  name: string
  kind: FileKind
  content: string | Uint8Array
}

/** The file's bytes (text as UTF-8), as a download or a write sends them. */
export const fileBytes = (file: ExportedFile): Uint8Array =>
  typeof file.content === 'string' ? new TextEncoder().encode(file.content) : file.content

/** Channels whose answer is a file. */
export const EXPORT_CHANNELS = [
  'export.run',
  'export.predictions',
  'export.file',
  'export.model',
  'export.runsTable',
  'export.compareReport'
] as const
export type ExportChannel = (typeof EXPORT_CHANNELS)[number]

export type ExportBuilders = { [C in ExportChannel]: (request: RequestOf<C>) => Promise<ExportedFile> }

/** Brings a suggested name to the one export style (see `@shared/file-names`): safe for any file system and header. */
export const safeFileName = (name: string): string => normaliseFileName(name)

/** What the export builders read from. */
export interface ExportBuilderDeps {
  runs: RunService
  dataset: DatasetService
  modelService: ModelService
  /** Groups of seed repeats, for the Compare report. */
  groups: { getGroup(id: number): Promise<GroupDetail> }
  appVersion: string
}

export function createExportBuilders(deps: ExportBuilderDeps): ExportBuilders {
  const { runs, dataset, modelService } = deps
  return {
    'export.run': async ({ id }) => {
      const run = await runs.get(id)
      return { name: exportFileName([run.name], 'json'), kind: 'json', content: runJson(run, await runs.predictions(id)) }
    },
    'export.predictions': async ({ id }) => {
      const run = await runs.get(id)
      const predictions = await runs.predictions(id)
      if (!predictions) throw conflict(`Run ${id} has no predictions yet; they are stored when a run completes.`)
      // The labels and class names of the run's own dataset (refused when that test set is not the one loaded).
      const labels = await testLabelsFor(dataset, run.dataset, predictions.predicted.length)
      return {
        name: exportFileName([run.name, 'predictions'], 'csv'),
        kind: 'csv',
        content: predictionsCsv(labels, predictions, run.dataset.classNames)
      }
    },
    'export.file': async ({ suggestedName, kind, content }) => ({ name: safeFileName(suggestedName), kind, content }),
    // ONNX, or a zip of the TF.js model.json + weights: one file for a save dialog or a download.
    'export.model': async ({ id, format }) => {
      const file = await modelService.exportSingleFile(id, format)
      return { name: safeFileName(file.name), kind: format === 'onnx' ? 'onnx' : 'zip', content: file.bytes }
    },
    // The Experiments table as shown (filtered and sorted): every column and every hyperparameter.
    'export.runsTable': async ({ ids }) => {
      const details = await runs.getMany(ids)
      const csv = runsTableCsv(details, new Map(details.map((d) => [d.id, d])))
      return { name: exportFileName(['atelier runs', new Date().toISOString().slice(0, 10)], 'csv'), kind: 'csv', content: csv }
    },
    'export.compareReport': async ({ ids, groupIds = [] }) => {
      const pdf = await buildCompareReport({ runs, dataset, groups: deps.groups, appVersion: deps.appVersion }, { ids, groupIds })
      return { name: exportFileName(['atelier compare', ...ids, ...groupIds.map((g) => `g${g}`)], 'pdf'), kind: 'pdf', content: pdf }
    }
  }
}
