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
  /** EMA weight of every curve chart, 0 (off) to 0.99; kept for the session so each chart opens as the last was left. */
  const curveSmoothing = ref(0)
  /** Hyperparameter columns shown in the experiments table, by dotted path; kept for the session. */
  const hpColumns = ref<string[]>([])

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

  return { selectedIds, selectedGroupIds, shortcutsOpen, focusFilterTick, curveSmoothing, hpColumns, select, forget, requestFilterFocus }
})
