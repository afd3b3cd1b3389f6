/** Dataset readiness, download progress, import from a folder, and the test set for drawing images. */
import { errorMessage } from '@shared/error-text'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { DATASET_FILE_NAMES, type DatasetStatus, type DatasetUpload, type EventMap, type TestSet } from '@shared/api'
import { call, subscribe } from '@renderer/api/client'

export type DatasetProgress = EventMap['dataset.progress']

/** How a download or import ended; `cancelled` when the person closed the folder dialog. */
export type DatasetOutcome = 'ready' | 'incomplete' | 'cancelled'

const sameStatus = (a: DatasetStatus | null, b: DatasetStatus): boolean => JSON.stringify(a) === JSON.stringify(b)

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

  async function run(
    kind: 'download' | 'import',
    action: () => Promise<DatasetStatus>,
    options: { mayBeCancelled?: boolean } = {}
  ): Promise<DatasetOutcome> {
    const before = status.value
    const earlierFailure = failure.value
    busy.value = kind
    failure.value = null
    progress.value = {}
    try {
      const after = await action()
      status.value = after
      if (after.ready) return 'ready'
      // Main answers a cancelled folder dialog with the status as it was: nothing happened, say nothing.
      if (options.mayBeCancelled && sameStatus(before, after)) {
        failure.value = earlierFailure
        return 'cancelled'
      }
      failure.value = after.problem ?? 'The dataset is still incomplete.'
      return 'incomplete'
    } catch (err) {
      failure.value = errorMessage(err)
      throw err
    } finally {
      busy.value = null
    }
  }

  function download(): Promise<DatasetOutcome> {
    return run('download', () => call('dataset.download', {}))
  }

  /** `folder: null` lets main ask with a native dialog, which the person may cancel. */
  function importFolder(folder: string | null = null): Promise<DatasetOutcome> {
    return run('import', () => call('dataset.import', { folder }), { mayBeCancelled: folder === null })
  }

  /** Imports files the person picked or dropped; names other than the Fashion-MNIST files are refused before anything is sent. */
  function importFiles(files: File[]): Promise<DatasetOutcome> {
    return run('import', async () => {
      const known = DATASET_FILE_NAMES as readonly string[]
      const strangers = files.filter((f) => !known.includes(f.name)).map((f) => f.name)
      if (strangers.length > 0) {
        const what = strangers.length === 1 ? 'is not one of the four Fashion-MNIST files' : 'are not among the four Fashion-MNIST files'
        throw new Error(
          `${strangers.join(', ')} ${what} (expected ${DATASET_FILE_NAMES.slice(0, 4).join(', ')}, or the same unpacked); nothing was imported`
        )
      }
      const uploads: DatasetUpload[] = []
      for (const f of files) uploads.push({ name: f.name as DatasetUpload['name'], content: new Uint8Array(await f.arrayBuffer()) })
      return call('dataset.importFiles', { files: uploads })
    })
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
    importFiles,
    applyProgress,
    loadTestSet,
    connect
  }
})
