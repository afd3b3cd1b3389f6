/** UI state that belongs to no domain: selection for Compare, dialogs, focus requests. */
import { defineStore } from 'pinia'
import { ref } from 'vue'

export const useUiStore = defineStore('ui', () => {
  /** Run ids ticked in the experiments table. */
  const selectedIds = ref<number[]>([])
  /** Group ids ticked in the experiments table (a group row compares as mean ± spread). */
  const selectedGroupIds = ref<number[]>([])
  const shortcutsOpen = ref(false)
  /** Bumped to ask the experiments filter box to take focus. */
  const focusFilterTick = ref(0)

  function select(ids: number[], groupIds: number[] = []): void {
    selectedIds.value = [...new Set(ids)]
    selectedGroupIds.value = [...new Set(groupIds)]
  }

  function forget(ids: number[]): void {
    selectedIds.value = selectedIds.value.filter((id) => !ids.includes(id))
  }

  function requestFilterFocus(): void {
    focusFilterTick.value++
  }

  return { selectedIds, selectedGroupIds, shortcutsOpen, focusFilterTick, select, forget, requestFilterFocus }
})
