/** Dataset readiness, download progress, import from a folder, and the test set for drawing images. */
import { errorMessage } from '@shared/error-text'
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import { DEFAULT_DATASET } from '@shared/dataset'
import { DATASET_FILE_NAMES, type DatasetStatus, type DatasetUpload, type EventMap, type TestSet } from '@shared/api'
import { call, subscribe } from '@renderer/api/client'

export type DatasetProgress = EventMap['dataset.progress']

/** How a download or import ended; `cancelled` when the person closed the folder dialog. */
export type DatasetOutcome = 'ready' | 'incomplete' | 'cancelled'

/** Test sets kept in memory at once. */
const MAX_TEST_SETS = 3

const sameStatus = (a: DatasetStatus | null, b: DatasetStatus): boolean => JSON.stringify(a) === JSON.stringify(b)

export const useDatasetStore = defineStore('dataset', () => {
  const status = ref<DatasetStatus | null>(null)
  /** Latest progress per file during a download. */
  const progress = ref<Record<string, DatasetProgress>>({})
  const busy = ref<'download' | 'import' | null>(null)
  /** The last failure, shown with a Retry. */
  const failure = ref<string | null>(null)
  /** Fashion-MNIST's test set once loaded (the others are in `testSets`). */
  const testSet = shallowRef<TestSet | null>(null)
  /** Test sets by dataset name, the most recently loaded last. */
  const testSets = shallowRef(new Map<string, TestSet>())
  const testSetLoading = new Map<string, Promise<TestSet>>()

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

  /**
   * Loads a dataset's test images once (Fashion-MNIST when no name is given); concurrent callers share
   * the request. A few sets stay cached (a colour set is tens of MB), the oldest dropped first.
   */
  function loadTestSet(name: string = DEFAULT_DATASET): Promise<TestSet> {
    const have = testSets.value.get(name)
    if (have) return Promise.resolve(have)
    let pending = testSetLoading.get(name)
    if (!pending) {
      pending = call('dataset.testSet', name === DEFAULT_DATASET ? {} : { name })
        .then((t) => {
          const next = new Map(testSets.value)
          next.set(name, markRaw(t))
          while (next.size > MAX_TEST_SETS) next.delete(next.keys().next().value as string)
          testSets.value = next
          if (name === DEFAULT_DATASET) testSet.value = t
          return t
        })
        .finally(() => testSetLoading.delete(name))
      testSetLoading.set(name, pending)
    }
    return pending
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
    testSets,
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
