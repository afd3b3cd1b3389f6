/**
 * The dataset catalogue (built-ins and imported folders): the list, a few sample images per class,
 * downloads and imports with their progress, cancel and remove. Test images for drawing by index
 * stay in the `dataset` store, which Fashion-MNIST's set-up screen also uses.
 */
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { BuiltinDataset, DatasetInfo, DatasetProgress, DatasetSamples, FolderImportOptions, ImportReport } from '@shared/dataset'
import { DEFAULT_DATASET } from '@shared/dataset'
import { call, subscribe } from '@renderer/api/client'
import { useDatasetStore } from './dataset'

/** What is running for a dataset: its download, an import of its official files, or a folder import. */
export type DatasetJob = 'download' | 'import' | 'add'

/** Samples per class the Datasets view asks for. */
export const SAMPLES_PER_CLASS = 6

export const useDatasetsStore = defineStore('datasets', () => {
  const list = ref<DatasetInfo[]>([])
  const loaded = ref(false)
  /** Why the list could not be read, shown in the view with a Retry. */
  const failure = ref<string | null>(null)
  const progress = ref<Record<string, DatasetProgress>>({})
  const jobs = ref<Record<string, DatasetJob>>({})
  /** Jobs the person cancelled: their failure is the expected end, not an error. */
  const cancelling = new Set<string>()
  const samples = shallowRef(new Map<string, DatasetSamples>())

  const byName = computed(() => new Map(list.value.map((d) => [d.name, d])))
  const ready = computed(() => list.value.filter((d) => d.ready))

  async function load(): Promise<DatasetInfo[]> {
    try {
      list.value = await call('datasets.list', {})
      failure.value = null
      loaded.value = true
    } catch (err) {
      failure.value = err instanceof Error ? err.message : String(err)
      throw err
    }
    return list.value
  }

  function put(info: DatasetInfo): void {
    const i = list.value.findIndex((d) => d.name === info.name)
    list.value = i < 0 ? [...list.value, info] : list.value.map((d) => (d.name === info.name ? info : d))
    forgetSamples(info.name)
  }

  function forgetSamples(name: string): void {
    if (!samples.value.has(name)) return
    const next = new Map(samples.value)
    next.delete(name)
    samples.value = next
  }

  /** A few images per class and the class counts; cached until the dataset changes. */
  async function loadSamples(name: string): Promise<DatasetSamples> {
    const have = samples.value.get(name)
    if (have) return have
    const s = markRaw(await call('datasets.samples', { name, perClass: SAMPLES_PER_CLASS }))
    samples.value = new Map(samples.value).set(name, s)
    return s
  }

  /** Runs a job for `name`; resolves with the dataset as it is now, or null when the person cancelled it. */
  async function job(name: string, kind: DatasetJob, action: () => Promise<DatasetInfo>): Promise<DatasetInfo | null> {
    jobs.value = { ...jobs.value, [name]: kind }
    cancelling.delete(name)
    try {
      const info = await action()
      put(info)
      // Fashion-MNIST's set-up screen and the banner read the older status channel.
      if (name === DEFAULT_DATASET)
        void useDatasetStore()
          .refresh()
          .catch(() => undefined)
      return info
    } catch (err) {
      if (cancelling.has(name)) return null
      throw err
    } finally {
      cancelling.delete(name)
      const { [name]: _job, ...restJobs } = jobs.value
      const { [name]: _progress, ...restProgress } = progress.value
      jobs.value = restJobs
      progress.value = restProgress
    }
  }

  const download = (name: BuiltinDataset): Promise<DatasetInfo | null> => job(name, 'download', () => call('datasets.download', { name }))
  const importOfficial = (name: BuiltinDataset, folder: string | null): Promise<DatasetInfo | null> =>
    job(name, 'import', () => call('datasets.importOfficial', { name, folder }))
  const addFolder = (options: FolderImportOptions): Promise<DatasetInfo | null> =>
    job(options.name, 'add', () => call('datasets.addFolder', options))

  /** The app's folder dialog; null when cancelled or in the browser shell (which has none). */
  async function pickFolder(): Promise<string | null> {
    return (await call('datasets.pickFolder', {})).folder
  }

  async function cancel(name: string): Promise<void> {
    cancelling.add(name)
    await call('datasets.cancel', { name })
  }

  async function remove(name: string, withRuns: boolean): Promise<{ removed: string; runsDeleted: number }> {
    const out = await call('datasets.remove', { name, withRuns })
    list.value = list.value.filter((d) => d.name !== name)
    forgetSamples(name)
    void load().catch(() => undefined)
    return out
  }

  function applyProgress(p: DatasetProgress): void {
    progress.value = { ...progress.value, [p.dataset]: p }
  }

  function connect(): () => void {
    const offs = [
      subscribe('datasets.progress', applyProgress),
      subscribe('datasets.changed', ({ name }) => {
        forgetSamples(name)
        void load().catch(() => undefined)
      })
    ]
    return () => offs.forEach((off) => off())
  }

  /** The report of the last import of `name`, if it has one. */
  const reportOf = (name: string): ImportReport | null => byName.value.get(name)?.report ?? null

  return {
    list,
    loaded,
    failure,
    progress,
    jobs,
    samples,
    byName,
    ready,
    load,
    loadSamples,
    download,
    importOfficial,
    addFolder,
    pickFolder,
    cancel,
    remove,
    applyProgress,
    connect,
    reportOf
  }
})
