/** The `datasets.*` channels (and the first Fashion-MNIST `dataset.*` ones), served by the dataset service. */
import { existsSync } from 'node:fs'
import type { ApiHandlers } from './api-router'
import { conflict } from '../errors'
import type { ApiHandlerDeps } from './handler-deps'

type DatasetChannel = Extract<keyof ApiHandlers, `datasets.${string}` | `dataset.${string}`>

export function createDatasetHandlers({
  dataset,
  dialogs
}: Pick<ApiHandlerDeps, 'dataset' | 'dialogs'>): Pick<ApiHandlers, DatasetChannel> {
  return {
    'datasets.list': () => dataset.list(),
    'datasets.get': ({ name }) => dataset.get(name),
    'datasets.samples': ({ name, perClass }) => dataset.samples(name, perClass),
    'datasets.download': ({ name }) => dataset.download(name),
    'datasets.importOfficial': ({ name, folder }) => dataset.importOfficial(name, folder),
    'datasets.addFolder': (request) => dataset.addFolder(request),
    'datasets.pickFolder': async () => ({ folder: await dialogs.openFolder({ title: 'Folder of images (one subfolder per class)' }) }),
    'datasets.cancel': ({ name }) => dataset.cancel(name),
    'datasets.remove': ({ name, withRuns }) => dataset.remove(name, withRuns),
    'dataset.status': () => dataset.status(),
    'dataset.download': () => dataset.fashionDownload(),
    'dataset.import': async ({ folder }) => {
      const from = folder ?? (await dialogs.openFolder({ title: 'Folder with the four Fashion-MNIST files' }))
      if (!from) return dataset.status()
      if (!existsSync(from)) throw conflict(`The folder ${from} does not exist.`)
      return dataset.fashionImport(from)
    },
    'dataset.importFiles': ({ files }) => dataset.importFiles(files),
    'dataset.testSet': ({ name }) => dataset.testSet(name)
  }
}
