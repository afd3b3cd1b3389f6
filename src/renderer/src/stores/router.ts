/**
 * A tiny hash router: `#/experiments`, `#/new`, `#/runs/12`, `#/compare/3,5,g2` (runs and groups),
 * `#/sweeps`, `#/sweeps/new`, `#/sweeps/4`, `#/workers`, `#/settings`, `#/dataset`, `#/datasets`, `#/datasets/mnist`.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

export type Route =
  | { name: 'experiments' }
  | { name: 'new' }
  | { name: 'run'; id: number }
  | { name: 'compare'; ids: number[]; /** Groups compared as mean ± spread; absent when none. */ groupIds?: number[] }
  | { name: 'sweeps' }
  | { name: 'sweep-new' }
  | { name: 'sweep'; id: number }
  /** A team store's workers and queue (a SQLite store: how to get one). */
  | { name: 'workers' }
  | { name: 'settings' }
  /** The dataset screen (download or import), reachable even when runs need no images. */
  | { name: 'dataset' }
  /** The Datasets view, with one dataset open when `dataset` is given. */
  | { name: 'datasets'; dataset?: string }

/** Reads a route from a location hash; anything unknown falls back to the experiments list. */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean)
  const [head, arg] = parts
  if (head === 'new') return { name: 'new' }
  if (head === 'settings') return { name: 'settings' }
  if (head === 'workers') return { name: 'workers' }
  if (head === 'dataset') return { name: 'dataset' }
  if (head === 'datasets') return arg && /^[a-z0-9][a-z0-9-]*$/.test(arg) ? { name: 'datasets', dataset: arg } : { name: 'datasets' }
  if (head === 'runs' && arg && /^\d+$/.test(arg)) return { name: 'run', id: Number(arg) }
  if (head === 'compare' && arg) {
    const parts = arg.split(',')
    const ids = parts.filter((s) => /^\d+$/.test(s)).map(Number)
    const groupIds = parts.filter((s) => /^g\d+$/.test(s)).map((s) => Number(s.slice(1)))
    return groupIds.length
      ? { name: 'compare', ids: [...new Set(ids)], groupIds: [...new Set(groupIds)] }
      : { name: 'compare', ids: [...new Set(ids)] }
  }
  if (head === 'sweeps' && arg === 'new') return { name: 'sweep-new' }
  if (head === 'sweeps' && arg && /^\d+$/.test(arg)) return { name: 'sweep', id: Number(arg) }
  if (head === 'sweeps') return { name: 'sweeps' }
  return { name: 'experiments' }
}

/** Writes a route as a location hash. */
export function toHash(route: Route): string {
  switch (route.name) {
    case 'run':
      return `#/runs/${route.id}`
    case 'compare':
      return `#/compare/${[...route.ids.map(String), ...(route.groupIds ?? []).map((id) => `g${id}`)].join(',')}`
    case 'sweep-new':
      return '#/sweeps/new'
    case 'sweep':
      return `#/sweeps/${route.id}`
    case 'datasets':
      return route.dataset ? `#/datasets/${route.dataset}` : '#/datasets'
    default:
      return `#/${route.name}`
  }
}

export const useRouterStore = defineStore('router', () => {
  const route = ref<Route>(parseHash(location.hash))
  const name = computed(() => route.value.name)

  function sync(): void {
    route.value = parseHash(location.hash)
  }

  /** Navigates; the hashchange listener (or this call, when the hash is unchanged) updates the route. */
  function go(next: Route): void {
    const hash = toHash(next)
    if (location.hash === hash) route.value = next
    else location.hash = hash
    route.value = next
  }

  /** Starts following the address bar; returns the unsubscribe function. */
  function listen(): () => void {
    window.addEventListener('hashchange', sync)
    return () => window.removeEventListener('hashchange', sync)
  }

  return { route, name, go, listen, sync }
})
