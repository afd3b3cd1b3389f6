/** Saved architectures (architectures.*): the latest version of each name, and saving the editor's architecture as a new version. */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Architecture } from '@shared/architecture/architecture-schema'
import type { SavedArchitecture, SavedArchitectureResult, SavedArchitectureSummary } from '@shared/architecture/saved-architecture'
import { call, describeError } from '@renderer/api/client'

export const useArchitecturesStore = defineStore('architectures', () => {
  const saved = shallowRef<SavedArchitectureSummary[]>([])
  /** The last list's failure, for the picker to show; cleared by the next success. */
  const error = ref<string | null>(null)

  async function refresh(): Promise<void> {
    try {
      saved.value = await call('architectures.list', {})
      error.value = null
    } catch (err) {
      error.value = describeError(err, 'list the saved architectures')
    }
  }

  /** One version of a saved architecture (the latest when absent); throws ApiRequestError. */
  function get(name: string, version?: number): Promise<SavedArchitecture> {
    return call('architectures.get', version === undefined ? { name } : { name, version })
  }

  /** Saves under the architecture's name (a new version unless it equals the latest) and refreshes the list; throws ApiRequestError. */
  async function save(architecture: Architecture): Promise<SavedArchitectureResult> {
    const result = await call('architectures.save', { architecture })
    await refresh()
    return result
  }

  return { saved, error, refresh, get, save }
})
