/** Which views the missing dataset replaces: only those that train (and a first start with no runs yet). */
import type { Route } from '@renderer/stores/router'

export interface DatasetGateInput {
  route: Route['name']
  /** The four files are present and look whole. */
  ready: boolean
  /** Runs in the database. */
  runCount: number
}

/** Views that cannot work without the images: they show the dataset screen instead. */
const NEEDS_DATASET: ReadonlySet<Route['name']> = new Set(['new', 'sweep-new'])

/**
 * `screen`: the dataset screen in place of the view; `banner`: the view, with a banner that says what
 * is unavailable and how to fix it; `none`: the view as it is.
 */
export function datasetGate({ route, ready, runCount }: DatasetGateInput): 'screen' | 'banner' | 'none' {
  if (route === 'dataset') return 'screen'
  if (ready) return 'none'
  if (NEEDS_DATASET.has(route)) return 'screen'
  // A first start has nothing to show but the way to get the dataset.
  if (route === 'experiments' && runCount === 0) return 'screen'
  return route === 'settings' ? 'none' : 'banner'
}
