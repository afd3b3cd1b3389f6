/** The team store's workers and queue (team.status): whether this store has workers at all, and, while a view asks, who trains what. */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { TeamStatus } from '@shared/team'
import { call, describeError } from '@renderer/api/client'

/** How often a view that shows the workers asks again: one cheap request. */
export const TEAM_POLL_MS = 3000

export const useTeamStore = defineStore('team', () => {
  const status = shallowRef<TeamStatus | null>(null)
  /** When `status` was read (this machine's clock), so "3 s ago" is measured against the same moment. */
  const readAt = ref(0)
  /** The last refresh's failure, for the view to show; cleared by the next success. */
  const error = ref<string | null>(null)
  /** A PostgreSQL store shared with workers; false until known. */
  const isTeam = computed(() => status.value?.kind === 'team')

  async function refresh(): Promise<void> {
    try {
      status.value = await call('team.status', {})
      readAt.value = Date.now()
      error.value = null
    } catch (err) {
      error.value = describeError(err, 'read the workers')
    }
  }

  /** Reads the status once: whether the store is a team store does not change while the app runs. */
  async function ensure(): Promise<void> {
    if (!status.value) await refresh()
  }

  /** Refreshes now and every {@link TEAM_POLL_MS} while the page is visible; returns the stop function. */
  function poll(): () => void {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const tick = async (): Promise<void> => {
      // A hidden window needs no fresh figures; the next visible tick catches up.
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') await refresh()
      if (!stopped) timer = setTimeout(() => void tick(), TEAM_POLL_MS)
    }
    void tick()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }

  return { status, readAt, error, isTeam, refresh, ensure, poll }
})
