/** Dataset readiness, download progress, import from a folder, and the test set for drawing images. */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { DatasetStatus, EventMap, TestSet } from '@shared/api'
import { call, subscribe } from '@renderer/api/client'

export type DatasetProgress = EventMap['dataset.progress']

export const useDatasetStore = defineStore('dataset', () => {
  const status = ref<DatasetStatus | null>(null)
  /** Latest progress per file during a download. */
  const progress = ref<Record<string, DatasetProgress>>({})
  const busy = ref<'download' | 'import' | null>(null)
  /** The last failure, shown with a Retry. */
  const failure = ref<string | null>(null)
  const testSet = shallowRef<TestSet | null>(null)
  let testSetLoading: Promise<TestSet> | null = null

  const ready = computed(() => status.value?.ready === true)
  const totals = computed(() => {
    const files = Object.values(progress.value)
    return {
      bytesDone: files.reduce((s, f) => s + f.bytesDone, 0),
      bytesTotal: files.reduce((s, f) => s + f.bytesTotal, 0),
      bytesPerSec: files.reduce((s, f) => s + f.bytesPerSec, 0)
    }
  })

  async function refresh(): Promise<DatasetStatus> {
    status.value = await call('dataset.status', {})
    return status.value
  }

  async function run(kind: 'download' | 'import', action: () => Promise<DatasetStatus>): Promise<void> {
    busy.value = kind
    failure.value = null
    progress.value = {}
    try {
      status.value = await action()
      if (!status.value.ready) failure.value = status.value.problem ?? 'The dataset is still incomplete.'
    } catch (err) {
      failure.value = err instanceof Error ? err.message : String(err)
      throw err
    } finally {
      busy.value = null
    }
  }

  function download(): Promise<void> {
    return run('download', () => call('dataset.download', {}))
  }

  /** `folder: null` lets main ask with a native dialog. */
  function importFolder(folder: string | null = null): Promise<void> {
    return run('import', () => call('dataset.import', { folder }))
  }

  function applyProgress(p: DatasetProgress): void {
    progress.value = { ...progress.value, [p.file]: p }
  }

  /** Loads the 10,000 test images once; concurrent callers share the request. */
  function loadTestSet(): Promise<TestSet> {
    if (testSet.value) return Promise.resolve(testSet.value)
    testSetLoading ??= call('dataset.testSet', {})
      .then((t) => (testSet.value = t))
      .finally(() => (testSetLoading = null))
    return testSetLoading
  }

  function connect(): () => void {
    return subscribe('dataset.progress', applyProgress)
  }

  return {
    status,
    progress,
    busy,
    failure,
    testSet,
    ready,
    totals,
    refresh,
    download,
    importFolder,
    applyProgress,
    loadTestSet,
    connect
  }
})
