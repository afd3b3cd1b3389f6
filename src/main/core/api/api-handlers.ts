/** Each API channel, served by the core's services. Inputs arrive already validated by the router. */
import type { SavedFile, Settings } from '@shared/api'
import type { ApiHandlers } from './api-router'
import { conflict } from '../errors'
import { EXPORT_CHANNELS, type ExportChannel, type ExportedFile } from '../export/exported-file'
import { writeFileAtomic } from '../export/write-file'
import { createCheckpointHandlers } from './checkpoint-handlers'
import { createModelHandlers } from './model-handlers'
import { createSignificanceService } from '../stats/significance-service'
import { groupSourceOf } from '../stats/group-source'
import { createGroupHandlers } from './group-handlers'
import { createArchitectureHandlers } from './architecture-handlers'
import { createDatasetHandlers } from './dataset-handlers'
import { checkDataDirChange } from '../dataset/dataset-folder-change'
import { runDiagnoses } from '../runs/run-diagnoses'
import { checkStoreLocationChange, storeLocationForPage } from '../store-location-setting'

const forPage = (s: Settings): Settings => ({ ...s, dbPath: storeLocationForPage(s.dbPath) })
import type { ApiHandlerDeps } from './handler-deps'

const FILTERS = {
  png: { name: 'PNG image', extensions: ['png'] },
  svg: { name: 'SVG image', extensions: ['svg'] },
  csv: { name: 'CSV table', extensions: ['csv'] },
  json: { name: 'JSON document', extensions: ['json'] },
  onnx: { name: 'ONNX model', extensions: ['onnx'] },
  zip: { name: 'TF.js model (zip of model.json and weights)', extensions: ['zip'] },
  pdf: { name: 'PDF document', extensions: ['pdf'] }
}

export function createApiHandlers(deps: ApiHandlerDeps): ApiHandlers {
  const { runs, dataset, settings, dialogs, cores, options, exports } = deps
  const stats = createSignificanceService({ runs, dataset, groups: groupSourceOf(deps.groups) })

  const save = async (file: ExportedFile): Promise<SavedFile> => {
    const path = await dialogs.saveFile({ title: 'Export', suggestedName: file.name, filters: [FILTERS[file.kind]] })
    if (!path) return { path: null }
    writeFileAtomic(path, file.content)
    return { path }
  }

  // Every export the same way: the core builds the file, the app's shell asks where it goes.
  const exportHandlers = Object.fromEntries(
    EXPORT_CHANNELS.map((channel) => [
      channel,
      async (request: never) => save(await (exports[channel] as (r: never) => Promise<ExportedFile>)(request))
    ])
  ) as Pick<ApiHandlers, ExportChannel>

  return {
    ...exportHandlers,
    ...createDatasetHandlers(deps),
    'app.info': () => ({
      version: options.appVersion,
      platform: process.platform,
      cores,
      dataDir: deps.dataDir(),
      dbPath: storeLocationForPage(options.dbPath),
      dataDirLocked: options.dataDirLocked ?? false,
      memoryBound: runs.memoryBound
    }),
    // A team store's URL goes to the page with its password masked (store-location-setting.ts).
    'settings.get': () => forPage(settings.get()),
    'settings.update': async (changes) => {
      if (changes.dbPath !== undefined)
        changes = { ...changes, dbPath: await checkStoreLocationChange(changes.dbPath, settings.get().dbPath) }
      if (changes.concurrency !== undefined && changes.concurrency > cores) {
        throw conflict(`Concurrency ${changes.concurrency} is more than this machine's ${cores} cores; choose 1 to ${cores}.`)
      }
      if (changes.dataDir !== undefined && options.dataDirLocked && changes.dataDir !== options.dataDir) {
        throw conflict('The dataset folder is fixed by ATELIER_DATA_DIR; unset it to choose another folder.')
      }
      if (changes.dataDir !== undefined && !options.dataDirLocked) {
        const active = runs.queue.running().length + runs.queue.queued().length
        changes = {
          ...changes,
          dataDir: checkDataDirChange({ next: changes.dataDir, current: settings.get().dataDir, activeRuns: active })
        }
      }
      const next: Settings = settings.update(changes)
      runs.queue.setConcurrency(next.concurrency)
      return forPage(next)
    },
    'runs.list': () => runs.list(),
    'runs.diagnoses': () => runDiagnoses({ list: runs.list, getMany: runs.getMany, trainCount: dataset.trainCount }),
    'runs.get': ({ id }) => runs.get(id),
    'runs.getMany': ({ ids }) => runs.getMany(ids),
    'runs.predictions': ({ id }) => runs.predictions(id),
    'runs.start': ({ hparams, name }) => runs.start(hparams, name),
    'runs.submit': ({ hparams, name }) => runs.submit(hparams, name),
    'team.status': () => runs.teamStatus(),
    'runs.startSeedPresets': ({ epochs }) => runs.startSeedPresets(epochs),
    'runs.estimate': ({ hparams }) => runs.estimate(hparams),
    'runs.rerun': ({ id }) => runs.rerun(id),
    'runs.cancel': ({ id }) => runs.cancel(id),
    'runs.update': ({ id, ...changes }) => runs.update(id, changes),
    'runs.delete': async ({ ids }) => ({ deleted: await runs.delete(ids) }),
    'queue.status': () => ({
      concurrency: settings.get().concurrency,
      running: runs.queue.running(),
      queued: runs.queue.queued()
    }),
    ...createCheckpointHandlers(deps),
    ...createModelHandlers({ models: deps.modelService, dataset }),
    'compare.significance': ({ a, b }) => stats.significance(a, b),
    ...createGroupHandlers(deps.groups),
    ...createArchitectureHandlers(deps)
  }
}
