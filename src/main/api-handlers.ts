/** Each API channel, served by the core's services. Inputs arrive already validated by the router. */
import { existsSync } from 'node:fs'
import type { Settings } from '@shared/api'
import type { ApiHandlers } from './api-router'
import type { CoreOptions, Dialogs } from './core'
import type { DatasetService } from './dataset-service'
import { conflict } from './errors'
import { predictionsCsv } from './export/predictions-csv'
import { runJson } from './export/run-json'
import { writeFileAtomic } from './export/write-file'
import type { RunService } from './runs/run-service'
import type { GroupService } from './runs/group-service'
import { createGroupHandlers } from './group-handlers'
import type { SettingsStore } from './settings'

export interface ApiHandlerDeps {
  runs: RunService
  /** Seed-repeat groups and sweeps. */
  groups: GroupService
  dataset: DatasetService
  settings: SettingsStore
  dialogs: Dialogs
  cores: number
  options: CoreOptions
  dataDir: () => string
}

const FILTERS = {
  png: { name: 'PNG image', extensions: ['png'] },
  svg: { name: 'SVG image', extensions: ['svg'] },
  csv: { name: 'CSV table', extensions: ['csv'] },
  json: { name: 'JSON document', extensions: ['json'] }
}

const safeName = (name: string): string => name.replace(/[^\w.\- ]+/g, '_').slice(0, 120)

export function createApiHandlers(deps: ApiHandlerDeps): ApiHandlers {
  const { runs, dataset, settings, dialogs, cores, options } = deps

  const save = async (suggestedName: string, kind: keyof typeof FILTERS, content: () => string | Uint8Array) => {
    const path = await dialogs.saveFile({ title: 'Export', suggestedName: safeName(suggestedName), filters: [FILTERS[kind]] })
    if (!path) return { path: null }
    writeFileAtomic(path, content())
    return { path }
  }

  return {
    'app.info': () => ({
      version: options.appVersion,
      platform: process.platform,
      cores,
      dataDir: deps.dataDir(),
      dbPath: options.dbPath,
      dataDirLocked: options.dataDirLocked ?? false
    }),
    'settings.get': () => settings.get(),
    'settings.update': (changes) => {
      if (changes.concurrency !== undefined && changes.concurrency > cores) {
        throw conflict(`Concurrency ${changes.concurrency} is more than this machine's ${cores} cores; choose 1 to ${cores}.`)
      }
      if (changes.dataDir !== undefined && options.dataDirLocked && changes.dataDir !== options.dataDir) {
        throw conflict('The dataset folder is fixed by ATELIER_DATA_DIR; unset it to choose another folder.')
      }
      const next: Settings = settings.update(changes)
      runs.queue.setConcurrency(next.concurrency)
      return next
    },
    'dataset.status': () => dataset.status(),
    'dataset.download': () => dataset.download(),
    'dataset.import': async ({ folder }) => {
      const from = folder ?? (await dialogs.openFolder({ title: 'Folder with the four Fashion-MNIST files' }))
      if (!from) return dataset.status()
      if (!existsSync(from)) throw conflict(`The folder ${from} does not exist.`)
      return dataset.import(from)
    },
    'dataset.testSet': () => dataset.testSet(),
    'runs.list': () => runs.list(),
    'runs.get': ({ id }) => runs.get(id),
    'runs.getMany': ({ ids }) => runs.getMany(ids),
    'runs.predictions': ({ id }) => runs.predictions(id),
    'runs.start': ({ hparams, name }) => runs.start(hparams, name),
    'runs.startSeedPresets': ({ epochs }) => runs.startSeedPresets(epochs),
    'runs.rerun': ({ id }) => runs.rerun(id),
    'runs.cancel': ({ id }) => runs.cancel(id),
    'runs.update': ({ id, ...changes }) => runs.update(id, changes),
    'runs.delete': ({ ids }) => ({ deleted: runs.delete(ids) }),
    'queue.status': () => ({
      concurrency: settings.get().concurrency,
      running: runs.queue.running(),
      queued: runs.queue.queued()
    }),
    'export.run': ({ id }) => {
      const run = runs.get(id)
      return save(`${run.name}.json`, 'json', () => runJson(run, runs.predictions(id)))
    },
    'export.predictions': async ({ id }) => {
      const run = runs.get(id)
      const predictions = runs.predictions(id)
      if (!predictions) throw conflict(`Run ${id} has no predictions yet; they are stored when a run completes.`)
      const { labels } = await dataset.testSet()
      return save(`${run.name} predictions.csv`, 'csv', () => predictionsCsv(labels, predictions))
    },
    'export.file': ({ suggestedName, kind, content }) => save(suggestedName, kind, () => content),
    ...createGroupHandlers(deps.groups)
  }
}
